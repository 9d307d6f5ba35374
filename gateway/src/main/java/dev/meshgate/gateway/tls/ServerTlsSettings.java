package dev.meshgate.gateway.tls;

import java.util.List;
import java.util.Objects;

/**
 * TLS termination settings for one listening port. {@code servers} are in Gateway order; {@code unmatchedSni} says
 * what happens to clients that send no SNI or an SNI no server matches (the short constructor and {@link #of} keep
 * the original behaviour: the first server answers).
 *
 * <p>Protocol versions and cipher suites apply to the whole port (Vert.x configures them per listener); a caller
 * merging several Istio servers onto one port must pass one value.
 *
 * @param listener     a label for error messages, e.g. {@code 0.0.0.0:443}
 * @param cipherSuites Istio/OpenSSL names; empty means Envoy's default list
 */
public record ServerTlsSettings(String listener, List<SniServer> servers, TlsProtocolVersion minProtocolVersion,
                                TlsProtocolVersion maxProtocolVersion, List<String> cipherSuites,
                                UnmatchedSni unmatchedSni) {

  public ServerTlsSettings {
    Objects.requireNonNull(listener, "listener");
    servers = List.copyOf(servers);
    minProtocolVersion = minProtocolVersion == null ? TlsProtocolVersion.TLS_AUTO : minProtocolVersion;
    maxProtocolVersion = maxProtocolVersion == null ? TlsProtocolVersion.TLS_AUTO : maxProtocolVersion;
    cipherSuites = cipherSuites == null ? List.of() : List.copyOf(cipherSuites);
    unmatchedSni = unmatchedSni == null ? UnmatchedSni.FIRST_SERVER : unmatchedSni;
  }

  public ServerTlsSettings(String listener, List<SniServer> servers, TlsProtocolVersion minProtocolVersion,
                           TlsProtocolVersion maxProtocolVersion, List<String> cipherSuites) {
    this(listener, servers, minProtocolVersion, maxProtocolVersion, cipherSuites, UnmatchedSni.FIRST_SERVER);
  }

  public static ServerTlsSettings of(String listener, SniServer... servers) {
    return new ServerTlsSettings(listener, List.of(servers), null, null, null);
  }

  public ServerTlsSettings withServers(List<SniServer> s) {
    return new ServerTlsSettings(listener, s, minProtocolVersion, maxProtocolVersion, cipherSuites, unmatchedSni);
  }

  public ServerTlsSettings withProtocols(TlsProtocolVersion min, TlsProtocolVersion max) {
    return new ServerTlsSettings(listener, servers, min, max, cipherSuites, unmatchedSni);
  }

  public ServerTlsSettings withCipherSuites(List<String> c) {
    return new ServerTlsSettings(listener, servers, minProtocolVersion, maxProtocolVersion, c, unmatchedSni);
  }

  public ServerTlsSettings withUnmatchedSni(UnmatchedSni u) {
    return new ServerTlsSettings(listener, servers, minProtocolVersion, maxProtocolVersion, cipherSuites, u);
  }
}

package dev.meshgate.gateway.tls;

import dev.meshgate.cert.TlsCredential;

import java.util.List;
import java.util.Objects;

/**
 * One terminating server on a port: its SNI host patterns (Gateway {@code server.hosts} without the namespace part:
 * {@code example.com}, {@code *.example.com}, {@code *}), its mode and its credential. For MUTUAL and
 * OPTIONAL_MUTUAL the credential must carry a CA bundle ({@code caCertificates} or the Secret's CA); its CRL, if
 * any, is enforced, and so are {@code pins} on the client certificate.
 */
public record SniServer(List<String> hosts, TlsMode mode, TlsCredential credential, ClientCertPins pins) {

  public SniServer {
    hosts = List.copyOf(hosts);
    pins = pins == null ? ClientCertPins.NONE : pins;
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(credential, "credential");
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("server with credential " + credential.name() + ": no hosts");
    }
  }

  /** A server without SAN, SPKI or hash pins on client certificates. */
  public SniServer(List<String> hosts, TlsMode mode, TlsCredential credential) {
    this(hosts, mode, credential, ClientCertPins.NONE);
  }

  /** The same server with another credential (used for rotation). */
  public SniServer withCredential(TlsCredential c) {
    return new SniServer(hosts, mode, c, pins);
  }
}

package dev.meshgate.gateway.tls;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.net.TrustOptions;

import java.util.List;
import java.util.Set;

/**
 * The result of {@link ServerTlsFactory#build}: everything Vert.x needs for one TLS port. Immutable; the Vert.x
 * option objects handed out are fresh each call (apart from the immutable key/trust material inside them).
 */
public final class ServerTlsConfig {

  /** The ALPN protocols offered, in preference order. */
  public static final List<HttpVersion> ALPN = List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1);

  private final ServerTlsSettings settings;
  private final TlsEngineStatus engine;
  private final ClientAuth clientAuth;
  private final Set<String> protocols;
  private final Set<String> cipherSuites;
  private final KeyCertOptions keyCert;
  private final TrustOptions trust;
  private final SniMatcher<SniServer> servers;
  private final SniServer unmatched;
  private final List<String> warnings;

  ServerTlsConfig(ServerTlsSettings settings, TlsEngineStatus engine, ClientAuth clientAuth, Set<String> protocols,
                  Set<String> cipherSuites, KeyCertOptions keyCert, TrustOptions trust, SniMatcher<SniServer> servers,
                  SniServer unmatched, List<String> warnings) {
    this.settings = settings;
    this.engine = engine;
    this.clientAuth = clientAuth;
    this.protocols = Set.copyOf(protocols);
    this.cipherSuites = cipherSuites;
    this.keyCert = keyCert;
    this.trust = trust;
    this.servers = servers;
    this.unmatched = unmatched;
    this.warnings = List.copyOf(warnings);
  }

  public ServerTlsSettings settings() {
    return settings;
  }

  public TlsEngineStatus engine() {
    return engine;
  }

  /** What the port asks of clients: REQUIRED when every server is MUTUAL, REQUEST when any validates, else NONE. */
  public ClientAuth clientAuth() {
    return clientAuth;
  }

  /** JSSE protocol names enabled. */
  public Set<String> protocols() {
    return protocols;
  }

  /** IANA cipher suite names enabled, in preference order. */
  public Set<String> cipherSuites() {
    return cipherSuites;
  }

  /** Non-fatal findings, e.g. a host pattern used by two servers (the later one is dropped, as Envoy does). */
  public List<String> warnings() {
    return warnings;
  }

  /** Options for {@code HttpServer.updateSSLOptions}; a new object each call. */
  public ServerSSLOptions sslOptions() {
    ServerSSLOptions o = new ServerSSLOptions()
        .setKeyCertOptions(keyCert)
        .setClientAuth(clientAuth)
        .setSni(true)
        .setUseAlpn(true)
        .setEnabledSecureTransportProtocols(Set.copyOf(protocols));
    if (trust != null) {
      o.setTrustOptions(trust);
    }
    cipherSuites.forEach(o::addEnabledCipherSuite);
    return o;
  }

  /** Sets SSL, ALPN (h2, http/1.1), SNI, engine, key/trust material, client auth, protocols and ciphers. */
  public HttpServerOptions applyTo(HttpServerOptions o) {
    o.setSsl(true)
        .setUseAlpn(true)
        .setAlpnVersions(ALPN)
        .setSni(true)
        .setSslEngineOptions(engine.engineOptions())
        .setKeyCertOptions(keyCert)
        .setClientAuth(clientAuth)
        .setEnabledSecureTransportProtocols(Set.copyOf(protocols));
    if (trust != null) {
      o.setTrustOptions(trust);
    }
    for (String c : cipherSuites) {
      o.addEnabledCipherSuite(c);
    }
    return o;
  }

  /**
   * For a TCP listener ({@code protocol: TLS} servers): SSL, SNI, engine, key and trust material, client auth,
   * protocols and ciphers; no ALPN.
   */
  public io.vertx.core.net.NetServerOptions applyTo(io.vertx.core.net.NetServerOptions o) {
    o.setSsl(true)
        .setSni(true)
        .setSslEngineOptions(engine.engineOptions())
        .setKeyCertOptions(keyCert)
        .setClientAuth(clientAuth)
        .setEnabledSecureTransportProtocols(Set.copyOf(protocols));
    if (trust != null) {
      o.setTrustOptions(trust);
    }
    for (String c : cipherSuites) {
      o.addEnabledCipherSuite(c);
    }
    return o;
  }

  /**
   * The server that terminates a handshake with this SNI (exact, longest wildcard, {@code *}); for a missing or
   * unmatched SNI the server chosen by {@link ServerTlsSettings#unmatchedSni()}, or null when such handshakes are
   * refused.
   */
  public SniServer serverFor(String sni) {
    SniServer s = servers.lookup(sni);
    return s != null ? s : unmatched;
  }

  /** The server that answers a missing or unmatched SNI, or null when those handshakes fail. */
  public SniServer unmatchedServer() {
    return unmatched;
  }

  /**
   * Whether the server matched by {@code sni} is MUTUAL (null or unmatched SNI: see {@link #serverFor}).
   * On a port mixing MUTUAL with other modes the handshake only requests a certificate (Vert.x has one
   * client-auth setting per port), so whoever handles the connection must refuse a client without one when this
   * returns true; see {@link #handshakeEnforcesMode()}.
   */
  public boolean clientCertificateRequired(String sni) {
    SniServer s = serverFor(sni);
    return s != null && s.mode() == TlsMode.MUTUAL;
  }

  /** True when the handshake alone enforces every server's client-certificate rule on this port. */
  public boolean handshakeEnforcesMode() {
    return settings.servers().stream().allMatch(s -> s.mode() == TlsMode.MUTUAL)
        || settings.servers().stream().noneMatch(s -> s.mode() == TlsMode.MUTUAL);
  }
}

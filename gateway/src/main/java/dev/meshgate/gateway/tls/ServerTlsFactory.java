package dev.meshgate.gateway.tls;

import dev.meshgate.cert.TlsCredential;
import io.vertx.core.http.ClientAuth;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns {@link ServerTlsSettings} into Vert.x server TLS options: one certificate per SNI host pattern on a shared
 * port, client-certificate validation per server, protocol range and cipher suites, on the engine
 * {@link NativeTls} proved (BoringSSL, else the JDK engine).
 *
 * <p>Building parses key material into key managers (a few milliseconds per credential): call it off the event
 * loop when a port has many credentials.
 */
public final class ServerTlsFactory {

  private final TlsEngineStatus engine;

  public ServerTlsFactory(TlsEngineStatus engine) {
    this.engine = engine;
  }

  /** A factory on the engine proven for this JVM ({@link NativeTls#status()}). */
  public static ServerTlsFactory withDetectedEngine() {
    return new ServerTlsFactory(NativeTls.status());
  }

  public TlsEngineStatus engine() {
    return engine;
  }

  /** @throws IllegalArgumentException with a message naming the listener and credential at fault */
  public ServerTlsConfig build(ServerTlsSettings s) {
    String where = "listener " + s.listener();
    if (s.servers().isEmpty()) {
      throw new IllegalArgumentException(where + ": no TLS servers");
    }
    TlsProtocolVersion min = s.minProtocolVersion().asMin();
    TlsProtocolVersion max = s.maxProtocolVersion().asMax();
    if (min.ordinal() > max.ordinal()) {
      throw new IllegalArgumentException(where + ": minProtocolVersion " + s.minProtocolVersion()
          + " is above maxProtocolVersion " + s.maxProtocolVersion());
    }
    Set<String> protocols = new LinkedHashSet<>();
    for (TlsProtocolVersion v : TlsProtocolVersion.values()) {
      if (v != TlsProtocolVersion.TLS_AUTO && v.ordinal() >= min.ordinal() && v.ordinal() <= max.ordinal()) {
        protocols.add(v.jsseName());
      }
    }
    Set<String> ciphers;
    try {
      ciphers = CipherSuites.toIana(s.cipherSuites().isEmpty() ? CipherSuites.ENVOY_DEFAULT : s.cipherSuites());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
    if (max == TlsProtocolVersion.TLSV1_3) {
      ciphers.addAll(CipherSuites.TLS13);
    }

    boolean anyValidates = false;
    boolean allMutual = true;
    for (SniServer srv : s.servers()) {
      if (srv.mode() != TlsMode.SIMPLE) {
        anyValidates = true;
        if (srv.credential().ca().isEmpty()) {
          throw new IllegalArgumentException(where + ": server " + srv.hosts() + " is " + srv.mode()
              + " but credential " + srv.credential().name() + " has no CA certificates (caCertificates, or"
              + " cacert/ca.crt in the Secret or its -cacert companion)");
        }
      }
      allMutual &= srv.mode() == TlsMode.MUTUAL;
    }
    ClientAuth clientAuth = allMutual ? ClientAuth.REQUIRED : anyValidates ? ClientAuth.REQUEST : ClientAuth.NONE;

    // one key manager / trust manager set per credential, shared by all its host patterns
    Map<TlsCredential, KeyManagerFactory> kmfs = new IdentityHashMap<>();
    Map<SniServer, TrustManager[]> tms = new IdentityHashMap<>();
    SniMatcher<KeyManagerFactory> keys = new SniMatcher<>();
    SniMatcher<TrustManager[]> trust = new SniMatcher<>();
    SniMatcher<TlsMode> modes = new SniMatcher<>();
    List<String> warnings = new ArrayList<>();
    for (SniServer srv : s.servers()) {
      KeyManagerFactory kmf = kmfs.computeIfAbsent(srv.credential(), KeyManagers::of);
      TrustManager[] tm = tms.computeIfAbsent(srv, ServerTlsFactory::trustFor);
      for (String host : srv.hosts()) {
        if (!keys.add(host, kmf)) {
          warnings.add(where + ": host " + host + " of credential " + srv.credential().name()
              + " is already served by an earlier server; ignored");
          continue;
        }
        trust.add(host, tm);
        modes.add(host, srv.mode());
      }
    }
    SniServer first = s.servers().get(0);
    SniKeyCertOptions keyCert = new SniKeyCertOptions(kmfs.get(first.credential()), keys);
    SniTrustOptions trustOptions = clientAuth == ClientAuth.NONE ? null : new SniTrustOptions(tms.get(first), trust);
    return new ServerTlsConfig(s, engine, clientAuth, protocols, ciphers, keyCert, trustOptions, modes, warnings);
  }

  private static TrustManager[] trustFor(SniServer srv) {
    if (srv.mode() == TlsMode.SIMPLE) {
      return ClientCertTrust.acceptAny();
    }
    TlsCredential c = srv.credential();
    return ClientCertTrust.of(c.ca().orElseThrow(), c.crl().orElse(null));
  }
}

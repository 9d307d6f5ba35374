package dev.meshgate.gateway.tls;

import dev.meshgate.cert.TlsCredential;
import io.vertx.core.http.ClientAuth;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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

    boolean nativeEngine = engine.nativeEngine();
    Map<TlsCredential, String> aliases = new IdentityHashMap<>();
    Map<String, TlsCredential> byAlias = new LinkedHashMap<>();
    Map<TlsCredential, KeyManagerFactory> singleKmf = new IdentityHashMap<>();
    Map<SniServer, X509ExtendedTrustManager> trustOf = new IdentityHashMap<>();
    SniMatcher<String> aliasBySni = new SniMatcher<>();
    SniMatcher<X509ExtendedTrustManager> trustBySni = new SniMatcher<>();
    SniMatcher<SniServer> serverBySni = new SniMatcher<>();
    Map<String, KeyManagerFactory> exactKeys = new HashMap<>();
    Map<String, TrustManager[]> exactTrust = new HashMap<>();
    Set<X509Certificate> issuers = new LinkedHashSet<>();
    List<String> warnings = new ArrayList<>();
    for (SniServer srv : s.servers()) {
      TlsCredential cred = srv.credential();
      String alias = aliases.computeIfAbsent(cred, c -> {
        String a = "c" + byAlias.size();
        byAlias.put(a, c);
        return a;
      });
      X509ExtendedTrustManager tm = trustOf.computeIfAbsent(srv, ServerTlsFactory::trustFor);
      if (srv.mode() != TlsMode.SIMPLE) {
        issuers.addAll(cred.ca().orElseThrow().certificates());
      }
      for (String host : srv.hosts()) {
        if (!aliasBySni.add(host, alias)) {
          warnings.add(where + ": host " + host + " of credential " + cred.name()
              + " is already served by an earlier server; ignored");
          continue;
        }
        trustBySni.add(host, tm);
        serverBySni.add(host, srv);
        if (!host.startsWith("*")) {
          String exact = host.toLowerCase(Locale.ROOT);
          exactKeys.put(exact, singleKmf.computeIfAbsent(cred, c -> KeyManagers.single(c, nativeEngine)));
          exactTrust.put(exact, new TrustManager[] {tm});
        }
      }
    }
    SniServer first = s.servers().get(0);
    SniServer unmatched = null;
    if (s.unmatchedSni() instanceof UnmatchedSni.FirstServer) {
      unmatched = first;
    } else if (s.unmatchedSni() instanceof UnmatchedSni.ServeAs a) {
      unmatched = serverBySni.lookup(a.host());
    }
    // null default alias: the key manager picks no certificate, so the handshake fails (Envoy: no filter chain)
    KeyManagerFactory defaultKmf = KeyManagers.sniAware(byAlias, aliasBySni,
        unmatched == null ? null : aliases.get(unmatched.credential()), nativeEngine);
    SniKeyCertOptions keyCert = new SniKeyCertOptions(defaultKmf, exactKeys);
    SniTrustOptions trustOptions = null;
    if (clientAuth != ClientAuth.NONE) {
      TrustManager defaultTm = new SniAwareTrustManager(trustBySni, trustOf.get(unmatched == null ? first : unmatched),
          issuers.toArray(new X509Certificate[0]));
      trustOptions = new SniTrustOptions(new TrustManager[] {defaultTm}, exactTrust);
    }
    return new ServerTlsConfig(s, engine, clientAuth, protocols, ciphers, keyCert, trustOptions, serverBySni,
        unmatched, warnings);
  }

  private static X509ExtendedTrustManager trustFor(SniServer srv) {
    if (srv.mode() == TlsMode.SIMPLE) {
      return ClientCertTrust.acceptAny();
    }
    TlsCredential c = srv.credential();
    return ClientCertTrust.of(c.ca().orElseThrow(), c.crl().orElse(null), srv.pins());
  }
}

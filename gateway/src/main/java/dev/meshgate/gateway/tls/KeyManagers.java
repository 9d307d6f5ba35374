package dev.meshgate.gateway.tls;

import dev.meshgate.cert.TlsCredential;
import dev.meshgate.cert.pem.PemCodec;
import dev.meshgate.cert.pem.PemException;
import dev.meshgate.cert.pem.PemInput;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Map;

/**
 * Key manager factories for server credentials. With BoringSSL they are wrapped so the key material is converted
 * to native form once per credential: for a plain factory Netty converts it again on every handshake, because it
 * cannot know the material is immutable (ours is: a rotation builds new factories).
 */
final class KeyManagers {

  private static final char[] PASSWORD = "meshgate".toCharArray(); // in-memory store only

  private KeyManagers() {
  }

  /** A factory holding exactly one credential. */
  static KeyManagerFactory single(TlsCredential credential, boolean nativeEngine) {
    return maybeCaching(init(store(Map.of("credential", credential))), nativeEngine);
  }

  /** A factory holding several credentials by alias, choosing among them by the handshake's SNI. */
  static KeyManagerFactory sniAware(Map<String, TlsCredential> byAlias, SniMatcher<String> aliasBySni,
                                    String defaultAlias, boolean nativeEngine) {
    KeyManagerFactory all = init(store(byAlias));
    X509KeyManager keys = x509(all.getKeyManagers());
    return maybeCaching(new FixedKeyManagerFactory(new SniAwareKeyManager(keys, aliasBySni, defaultAlias)),
        nativeEngine);
  }

  private static KeyManagerFactory maybeCaching(KeyManagerFactory kmf, boolean nativeEngine) {
    return nativeEngine ? new OpenSslCachingX509KeyManagerFactory(kmf) : kmf;
  }

  private static KeyStore store(Map<String, TlsCredential> byAlias) {
    TlsCredential current = null;
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      for (var e : byAlias.entrySet()) {
        current = e.getValue();
        ks.setKeyEntry(e.getKey(), privateKey(current), PASSWORD, current.chain().toArray(new X509Certificate[0]));
      }
      return ks;
    } catch (PemException | GeneralSecurityException | IOException e) {
      String which = current == null ? "" : "credential " + current.name() + ": ";
      throw new IllegalArgumentException(which + "cannot build key manager: " + e.getMessage(), e);
    }
  }

  private static KeyManagerFactory init(KeyStore ks) {
    try {
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, PASSWORD);
      return kmf;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot build key manager: " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(TlsCredential c) throws PemException {
    byte[] pem = c.privateKeyPem().toString(StandardCharsets.US_ASCII).getBytes(StandardCharsets.US_ASCII);
    return PemCodec.privateKey(new PemInput(c.name() + " (PKCS#8)", pem));
  }

  private static X509KeyManager x509(KeyManager[] managers) {
    for (KeyManager km : managers) {
      if (km instanceof X509KeyManager x) {
        return x;
      }
    }
    throw new IllegalStateException("no X509KeyManager from " + KeyManagerFactory.getDefaultAlgorithm());
  }
}

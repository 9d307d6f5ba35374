package dev.meshgate.gateway.tls;

import dev.meshgate.cert.TlsCredential;
import dev.meshgate.cert.pem.PemCodec;
import dev.meshgate.cert.pem.PemException;
import dev.meshgate.cert.pem.PemInput;

import javax.net.ssl.KeyManagerFactory;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** Builds a KeyManagerFactory holding exactly one credential. */
final class KeyManagers {

  private static final char[] PASSWORD = "meshgate".toCharArray(); // in-memory store only

  private KeyManagers() {
  }

  static KeyManagerFactory of(TlsCredential credential) {
    try {
      byte[] pem = credential.privateKeyPem().toString(StandardCharsets.US_ASCII).getBytes(StandardCharsets.US_ASCII);
      PrivateKey key = PemCodec.privateKey(new PemInput(credential.name() + " (PKCS#8)", pem));
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("credential", key, PASSWORD, credential.chain().toArray(new X509Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, PASSWORD);
      return kmf;
    } catch (PemException | GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException("credential " + credential.name() + ": cannot build key manager: "
          + e.getMessage(), e);
    }
  }
}

package dev.meshgate.cert;

import dev.meshgate.cert.pem.PemCodec;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.PKCS8Generator;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;

/** Writes private keys in every PEM form a user may hand us. */
public final class TestPem {

  // Only the test needs BouncyCastle's provider (OpenSSL's password-based key derivation); never registered globally.
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private TestPem() {
  }

  /** {@code RSA PRIVATE KEY} for RSA keys, {@code EC PRIVATE KEY} (SEC1) for EC keys: BouncyCastle's native form. */
  public static String traditional(PrivateKey key) {
    if (!"EC".equals(key.getAlgorithm())) {
      return write(key);
    }
    // The JDK's PKCS#8 keeps the curve only in the outer AlgorithmIdentifier; a SEC1 file as openssl writes it
    // carries the curve inside ([0] parameters), so build that structure explicitly.
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
      ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey().toASN1Primitive());
      ECPrivateKey sec1 = new ECPrivateKey(256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters());
      return PemCodec.pem("EC PRIVATE KEY", sec1.getEncoded());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What {@code JcaPEMWriter.writeObject(key)} produces (for EC: SEC1 without the curve parameters). */
  public static String bcWriterOutput(PrivateKey key) {
    return write(key);
  }

  public static String pkcs8(PrivateKey key) {
    return PemCodec.pkcs8Pem(key);
  }

  /** Legacy OpenSSL encryption ({@code Proc-Type: 4,ENCRYPTED}). */
  public static String legacyEncrypted(PrivateKey key) {
    try (StringWriter sw = new StringWriter(); JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(key, new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(BC).build("secret".toCharArray()));
      w.flush();
      return sw.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code ENCRYPTED PRIVATE KEY} (PKCS#8 with PBES2). */
  public static String pkcs8Encrypted(PrivateKey key) {
    try (StringWriter sw = new StringWriter(); JcaPEMWriter w = new JcaPEMWriter(sw)) {
      var enc = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(BC).setPassword("secret".toCharArray())
          .build();
      w.writeObject(new JcaPKCS8Generator(key, enc));
      w.flush();
      return sw.toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String write(Object o) {
    try (StringWriter sw = new StringWriter(); JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(o);
      w.flush();
      return sw.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.meshgate.cert.pem;

import dev.meshgate.cert.CaBundle;
import dev.meshgate.cert.CredentialException;
import dev.meshgate.cert.CrlBundle;
import dev.meshgate.cert.SubjectAltNames;
import dev.meshgate.cert.TlsCredential;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Turns raw PEM inputs into a validated {@link TlsCredential}. Every failure is a {@link CredentialException}
 * naming the credential and the file or key at fault. Pure and blocking-free apart from CPU work: callers read the
 * files themselves (on a worker thread).
 */
public final class CredentialParser {

  private final Clock clock;

  public CredentialParser(Clock clock) {
    this.clock = clock;
  }

  public CredentialParser() {
    this(Clock.systemUTC());
  }

  /**
   * @param ca  trusted CA bundle for peers, or null
   * @param crl CRLs, or null
   */
  public TlsCredential parse(String name, String origin, PemInput cert, PemInput key, PemInput ca, PemInput crl) {
    List<X509Certificate> chain;
    PrivateKey privateKey;
    try {
      chain = PemCodec.certificates(cert);
      privateKey = PemCodec.privateKey(key);
    } catch (PemException e) {
      throw new CredentialException(name, e.getMessage(), e);
    }
    X509Certificate leaf = chain.get(0);
    if (!KeyPairCheck.matches(privateKey, leaf.getPublicKey())) {
      throw new CredentialException(name, "private key does not match certificate "
          + leaf.getSubjectX500Principal().getName() + " (key " + key.label() + ", " + privateKey.getAlgorithm()
          + "; certificate " + cert.label() + ", " + leaf.getPublicKey().getAlgorithm() + ")");
    }
    Optional<CaBundle> caBundle = ca == null ? Optional.empty() : Optional.of(parseCa(name, ca));
    Optional<CrlBundle> crlBundle = crl == null ? Optional.empty() : Optional.of(parseCrl(name, crl));

    Instant now = clock.instant();
    Instant notBefore = leaf.getNotBefore().toInstant();
    Instant notAfter = leaf.getNotAfter().toInstant();
    List<String> warnings = new ArrayList<>();
    if (now.isAfter(notAfter)) {
      warnings.add("certificate " + leaf.getSubjectX500Principal().getName() + " expired at " + notAfter);
    } else if (now.isBefore(notBefore)) {
      warnings.add("certificate " + leaf.getSubjectX500Principal().getName() + " is not valid before " + notBefore);
    }
    return new TlsCredential(
        name,
        origin,
        Buffer.buffer(PemCodec.certificatesPem(chain)),
        Buffer.buffer(PemCodec.pkcs8Pem(privateKey)),
        chain,
        caBundle,
        crlBundle,
        notBefore,
        notAfter,
        SubjectAltNames.of(leaf),
        hex(sha256(encoded(leaf))),
        Base64.getEncoder().encodeToString(sha256(leaf.getPublicKey().getEncoded())),
        contentHash(cert, key, ca, crl),
        now,
        warnings);
  }

  public CaBundle parseCa(String name, PemInput ca) {
    try {
      List<X509Certificate> certs = PemCodec.certificates(ca);
      return new CaBundle(certs, Buffer.buffer(PemCodec.certificatesPem(certs)), ca.label());
    } catch (PemException e) {
      throw new CredentialException(name, e.getMessage(), e);
    }
  }

  public CrlBundle parseCrl(String name, PemInput crl) {
    try {
      List<X509CRL> crls = PemCodec.crls(crl);
      return new CrlBundle(crls, Buffer.buffer(PemCodec.crlsPem(crls)), crl.label());
    } catch (PemException e) {
      throw new CredentialException(name, e.getMessage(), e);
    }
  }

  /** Hash over labels and bytes of all inputs (nulls allowed); used to detect changes cheaply. */
  public static String contentHash(PemInput... inputs) {
    MessageDigest md = digest();
    for (PemInput in : inputs) {
      if (in == null) {
        md.update((byte) 0);
        continue;
      }
      md.update(in.label().getBytes(StandardCharsets.UTF_8));
      md.update((byte) 1);
      md.update(in.raw());
      md.update((byte) 2);
    }
    return hex(md.digest());
  }

  private static byte[] encoded(X509Certificate cert) {
    try {
      return cert.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] sha256(byte[] data) {
    return digest().digest(data);
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}

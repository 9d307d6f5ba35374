package dev.meshgate.cert;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded, validated server (or client) credential: a certificate chain with its private key, and optionally
 * the CA bundle and CRLs used to validate peers. Immutable; a rotation produces a new instance.
 *
 * <p>{@link #certChainPem()} holds the leaf first, then the rest of the chain as given. {@link #privateKeyPem()}
 * is always PKCS#8 ({@code BEGIN PRIVATE KEY}) whatever the input form, because Vert.x' PemKeyCertOptions
 * rejects SEC1 EC keys.
 *
 * @param name          {@code namespace/name} of the Secret, or {@code file/<path>} for Gateway file paths
 * @param origin        where it was read from (directory or file paths), for the inventory and log lines
 * @param chain         leaf first
 * @param sha256        hex SHA-256 of the leaf's DER encoding (lower case, no colons; Istio verifyCertificateHash)
 * @param spkiSha256    base64 SHA-256 of the leaf's SubjectPublicKeyInfo (Istio verifyCertificateSpki)
 * @param contentHash   hex SHA-256 over all input bytes; equal hashes mean equal inputs
 * @param warnings      non-fatal findings (expired or not yet valid certificate)
 */
public record TlsCredential(
    String name,
    String origin,
    Buffer certChainPem,
    Buffer privateKeyPem,
    List<X509Certificate> chain,
    Optional<CaBundle> ca,
    Optional<CrlBundle> crl,
    Instant notBefore,
    Instant notAfter,
    SubjectAltNames sans,
    String sha256,
    String spkiSha256,
    String contentHash,
    Instant loadedAt,
    List<String> warnings) {

  public TlsCredential {
    Objects.requireNonNull(name, "name");
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("credential " + name + ": empty certificate chain");
    }
    certChainPem = certChainPem.copy();
    privateKeyPem = privateKeyPem.copy();
    warnings = List.copyOf(warnings);
  }

  /** A copy: Buffers are mutable and this record is not. */
  @Override
  public Buffer certChainPem() {
    return certChainPem.copy();
  }

  /** A copy: Buffers are mutable and this record is not. Never log it. */
  @Override
  public Buffer privateKeyPem() {
    return privateKeyPem.copy();
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  public String subject() {
    return leaf().getSubjectX500Principal().getName();
  }

  public String issuer() {
    return leaf().getIssuerX500Principal().getName();
  }

  /** Serial number in hex, as openssl prints it. */
  public String serialHex() {
    return leaf().getSerialNumber().toString(16);
  }

  /** A fresh Vert.x key/cert option for this credential (Vert.x options are mutable, so never share one). */
  public PemKeyCertOptions toKeyCertOptions() {
    return new PemKeyCertOptions().addKeyValue(privateKeyPem()).addCertValue(certChainPem());
  }

  public boolean isValidAt(Instant now) {
    return !now.isBefore(notBefore) && !now.isAfter(notAfter);
  }

  // Never print the key: Buffer.toString() would dump the PEM into logs.
  @Override
  public String toString() {
    return "TlsCredential[" + name + ", subject=" + subject() + ", serial=" + serialHex() + ", notAfter=" + notAfter
        + ", origin=" + origin + "]";
  }
}

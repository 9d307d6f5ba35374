package dev.meshgate.cert.ca;

import dev.meshgate.cert.pem.PemCodec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A certificate issued by {@link CertificateAuthority}, with its key and the issuing CA. */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey, X509Certificate issuer) {

  public String certificatePem() {
    return PemCodec.certificatesPem(List.of(certificate));
  }

  /** PKCS#8 ({@code BEGIN PRIVATE KEY}), the form Vert.x accepts for every key type. */
  public String privateKeyPem() {
    return PemCodec.pkcs8Pem(privateKey);
  }

  public String issuerPem() {
    return PemCodec.certificatesPem(List.of(issuer));
  }

  /** Writes {@code tls.crt}, {@code tls.key} and {@code ca.crt} into {@code dir} (a Kubernetes TLS Secret layout). */
  public void writeTlsSecret(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("tls.crt"), certificatePem());
    Files.writeString(dir.resolve("tls.key"), privateKeyPem());
    Files.writeString(dir.resolve("ca.crt"), issuerPem());
  }

  @Override
  public String toString() {
    return "IssuedCertificate[" + certificate.getSubjectX500Principal() + ", serial "
        + certificate.getSerialNumber().toString(16) + "]";
  }
}

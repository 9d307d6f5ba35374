package dev.meshgate.cert.source;

import java.util.Objects;

/**
 * File paths as an Istio Gateway's {@code tls} block gives them. {@code caCertificates} and {@code caCrl} may be
 * null. Relative paths are resolved against the process working directory.
 */
public record CredentialFiles(String serverCertificate, String privateKey, String caCertificates, String caCrl) {

  public CredentialFiles {
    Objects.requireNonNull(serverCertificate, "serverCertificate");
    Objects.requireNonNull(privateKey, "privateKey");
  }

  public static CredentialFiles of(String serverCertificate, String privateKey) {
    return new CredentialFiles(serverCertificate, privateKey, null, null);
  }
}

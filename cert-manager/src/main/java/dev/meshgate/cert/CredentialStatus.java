package dev.meshgate.cert;

import java.time.Instant;
import java.util.List;

/**
 * One inventory line for the admin API: the credential in force (if any) and the last load error (if any).
 * A credential can be serving and have an error at the same time: that is a rejected rotation.
 * {@code credential} carries the private key: an API must pick fields from it, never serialise it whole.
 *
 * @param credential the credential in force, or null when none ever loaded
 * @param lastError  message of the most recent failed load, or null when the last attempt succeeded
 */
public record CredentialStatus(String name, String origin, TlsCredential credential, String lastError,
                               Instant lastErrorAt) {

  public boolean serving() {
    return credential != null;
  }

  public String subject() {
    return credential == null ? null : credential.subject();
  }

  public String issuer() {
    return credential == null ? null : credential.issuer();
  }

  public List<String> sans() {
    return credential == null ? List.of() : credential.sans().all();
  }

  public Instant notAfter() {
    return credential == null ? null : credential.notAfter();
  }
}

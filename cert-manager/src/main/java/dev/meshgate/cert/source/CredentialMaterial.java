package dev.meshgate.cert.source;

import dev.meshgate.cert.pem.CredentialParser;
import dev.meshgate.cert.pem.PemInput;

import java.util.Objects;

/**
 * The raw inputs of one credential as read from disk (or, later, a Secret): certificate chain, key, and optional
 * CA bundle and CRL. {@link #hash()} identifies the content so unchanged inputs are not parsed again.
 */
public record CredentialMaterial(String origin, PemInput cert, PemInput key, PemInput ca, PemInput crl) {

  public CredentialMaterial {
    Objects.requireNonNull(cert, "cert");
    Objects.requireNonNull(key, "key");
  }

  public String hash() {
    return CredentialParser.contentHash(cert, key, ca, crl);
  }
}

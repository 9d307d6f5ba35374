package dev.meshgate.cert;

import java.util.Objects;

/**
 * Identifies a credential the way Istio does: a Secret name within a namespace. File-path credentials from a
 * Gateway use the namespace {@link #FILES} and the certificate path as the name.
 */
public record CredentialRef(String namespace, String name) {

  /** Namespace used for credentials given as file paths (Gateway serverCertificate/privateKey). */
  public static final String FILES = "file";

  public CredentialRef {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** The CA companion credential Istio looks up first for MUTUAL: {@code <name>-cacert}. */
  public CredentialRef caCompanion() {
    return new CredentialRef(namespace, name + "-cacert");
  }

  /** {@code namespace/name}; file credentials print as {@code file:<path>}. */
  @Override
  public String toString() {
    return FILES.equals(namespace) ? "file:" + name : namespace + "/" + name;
  }
}

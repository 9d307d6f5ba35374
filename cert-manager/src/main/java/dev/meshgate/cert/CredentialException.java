package dev.meshgate.cert;

/**
 * A credential could not be loaded or is inconsistent. The message always starts with
 * {@code credential <namespace>/<name>:} so an operator can find the Secret or file at fault.
 */
public final class CredentialException extends RuntimeException {

  private final String credential;

  public CredentialException(String credential, String detail) {
    super("credential " + credential + ": " + detail);
    this.credential = credential;
  }

  public CredentialException(String credential, String detail, Throwable cause) {
    super("credential " + credential + ": " + detail, cause);
    this.credential = credential;
  }

  /** The credential name ({@code namespace/name}, or {@code file/<path>}). */
  public String credential() {
    return credential;
  }
}

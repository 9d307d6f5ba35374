package dev.meshgate.cert.pem;

/** A PEM file could not be used; the message names the file or Secret key. Wrapped by the credential loader. */
public final class PemException extends Exception {
  public PemException(String message) {
    super(message);
  }

  public PemException(String message, Throwable cause) {
    super(message, cause);
  }
}

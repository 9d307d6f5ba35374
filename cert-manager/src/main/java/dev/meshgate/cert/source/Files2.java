package dev.meshgate.cert.source;

import dev.meshgate.cert.CredentialException;
import dev.meshgate.cert.pem.PemInput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Bounded file reads for credential files (follows symlinks, as Secret volumes need). */
final class Files2 {

  /** Certificates, keys, bundles and CRLs larger than this are refused rather than read into memory. */
  static final long MAX_BYTES = 4L * 1024 * 1024;

  private Files2() {
  }

  static PemInput read(String credential, Path file) {
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new CredentialException(credential, file + ": " + size + " bytes, larger than the " + MAX_BYTES
            + " bytes allowed for a PEM file");
      }
      return new PemInput(file.toString(), Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new CredentialException(credential, file + ": no such file");
    } catch (IOException e) {
      throw new CredentialException(credential, file + ": cannot read (" + e + ")", e);
    }
  }
}

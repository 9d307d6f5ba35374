package dev.meshgate.cert;

/**
 * Told when a credential was (re)loaded successfully. Called on a Vert.x event loop: do not block.
 * A failed reload is not reported here (the previous credential stays in force); see {@link CredentialStatus}.
 */
@FunctionalInterface
public interface CredentialListener {
  void credentialChanged(TlsCredential credential);
}

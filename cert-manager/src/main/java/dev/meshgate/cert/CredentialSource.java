package dev.meshgate.cert;

import io.vertx.core.Future;

import java.util.List;

/**
 * Where credentials come from: a directory laid out like Kubernetes Secrets, Gateway file paths, and later the
 * Kubernetes API. Implementations watch what they have handed out and tell listeners about successful reloads;
 * a broken update is logged and the previous credential stays in force.
 */
public interface CredentialSource {

  /**
   * The credential {@code namespace/name} (Istio {@code credentialName}). Fails with a {@link CredentialException}
   * naming the credential when it is missing or invalid. Once asked for, a credential is watched even if the first
   * load failed, so a Secret created later is picked up and reported to listeners.
   */
  Future<TlsCredential> get(String namespace, String name);

  /** Registers a listener for successful reloads of any credential of this source. */
  Registration addListener(CredentialListener listener);

  /** Every credential this source has been asked for, with what is in force and the last error. */
  List<CredentialStatus> inventory();

  /** Stops watching. */
  void close();
}

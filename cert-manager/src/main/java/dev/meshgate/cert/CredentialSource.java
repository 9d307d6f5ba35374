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

  /**
   * Only the CA bundle of {@code namespace/name} (Istio: a DestinationRule SIMPLE origination's credentialName needs
   * no key pair): from the {@code <name>-cacert} companion, else the credential itself. Not watched: callers re-ask
   * to see rotations. Sources that cannot do this fail.
   */
  default Future<dev.meshgate.cert.pem.PemInput> caOnly(String namespace, String name) {
    return Future.failedFuture(new CredentialException(namespace + "/" + name,
        "this credential source cannot read a CA on its own"));
  }

  /** Registers a listener for successful reloads of any credential of this source. */
  Registration addListener(CredentialListener listener);

  /** Every credential this source has been asked for, with what is in force and the last error. */
  List<CredentialStatus> inventory();

  /** Stops watching. */
  void close();
}

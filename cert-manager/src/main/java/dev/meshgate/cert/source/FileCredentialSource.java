package dev.meshgate.cert.source;

import dev.meshgate.cert.CredentialException;
import dev.meshgate.cert.CredentialRef;
import dev.meshgate.cert.TlsCredential;
import dev.meshgate.cert.pem.CredentialParser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credentials given as file paths in a Gateway ({@code serverCertificate}, {@code privateKey},
 * {@code caCertificates}, {@code caCrl}). Each set of paths becomes the credential {@code file:<serverCertificate>}
 * (namespace {@link CredentialRef#FILES}); the files are watched like any other source.
 */
public final class FileCredentialSource extends PollingCredentialSource {

  private final Map<CredentialRef, CredentialFiles> files = new ConcurrentHashMap<>();

  public FileCredentialSource(Vertx vertx, Duration pollInterval) {
    super(vertx, pollInterval, new CredentialParser());
  }

  public FileCredentialSource(Vertx vertx) {
    this(vertx, DEFAULT_POLL_INTERVAL);
  }

  /** The reference under which {@code paths} is (or will be) known. */
  public static CredentialRef refOf(CredentialFiles paths) {
    return new CredentialRef(CredentialRef.FILES, paths.serverCertificate());
  }

  /**
   * Loads and watches these files. Registering the same serverCertificate path again with other companion files
   * replaces the earlier paths.
   */
  public Future<TlsCredential> load(CredentialFiles paths) {
    CredentialRef ref = refOf(paths);
    CredentialFiles previous = files.put(ref, paths);
    if (previous != null && !previous.equals(paths)) {
      return pollNow().compose(v -> get(ref));
    }
    return get(ref);
  }

  @Override
  protected CredentialMaterial read(CredentialRef ref) {
    CredentialFiles p = files.get(ref);
    String name = ref.toString();
    if (p == null) {
      throw new CredentialException(name, "no file paths registered for this credential");
    }
    return new CredentialMaterial(
        p.serverCertificate() + ", " + p.privateKey(),
        Files2.read(name, Path.of(p.serverCertificate())),
        Files2.read(name, Path.of(p.privateKey())),
        p.caCertificates() == null ? null : Files2.read(name, Path.of(p.caCertificates())),
        p.caCrl() == null ? null : Files2.read(name, Path.of(p.caCrl())));
  }
}

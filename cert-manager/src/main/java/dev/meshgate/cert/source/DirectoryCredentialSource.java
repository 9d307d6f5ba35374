package dev.meshgate.cert.source;

import dev.meshgate.cert.CredentialException;
import dev.meshgate.cert.CredentialRef;
import dev.meshgate.cert.pem.CredentialParser;
import dev.meshgate.cert.pem.PemInput;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Istio {@code credentialName} resolved from a directory laid out like mounted Kubernetes Secrets:
 * {@code <root>/<namespace>/<name>/<key>}, one file per Secret key.
 *
 * <p>Key layouts, with Istio's precedence (pilot/pkg/credentials/kube/secrets.go):
 * <ul>
 *   <li>certificate and key: {@code cert} + {@code key}, else {@code tls.crt} + {@code tls.key};</li>
 *   <li>CA for client validation: first the companion credential {@code <name>-cacert}, else the credential
 *       itself; in either, {@code cacert} (CRL in {@code crl}) else {@code ca.crt} (CRL in {@code ca.crl}).
 *       A companion directory without a CA key is an error, as in Istio.</li>
 * </ul>
 * Entries starting with {@code ..} ({@code ..data} and the timestamped directories of a Secret volume) are not keys.
 */
public final class DirectoryCredentialSource extends PollingCredentialSource {

  private final Path root;

  public DirectoryCredentialSource(Vertx vertx, Path root, Duration pollInterval) {
    super(vertx, pollInterval, new CredentialParser());
    this.root = root;
  }

  public DirectoryCredentialSource(Vertx vertx, Path root) {
    this(vertx, root, DEFAULT_POLL_INTERVAL);
  }

  public Path root() {
    return root;
  }

  @Override
  protected CredentialMaterial read(CredentialRef ref) {
    String name = ref.toString();
    checkSegment(name, "namespace", ref.namespace());
    checkSegment(name, "name", ref.name());
    Path dir = root.resolve(ref.namespace()).resolve(ref.name());
    if (!Files.isDirectory(dir)) {
      throw new CredentialException(name, "not found (no directory " + dir + ")");
    }
    PemInput cert;
    PemInput key;
    if (hasValue(dir, "cert") && hasValue(dir, "key")) {
      cert = Files2.read(name, dir.resolve("cert"));
      key = Files2.read(name, dir.resolve("key"));
    } else if (hasValue(dir, "tls.crt") && hasValue(dir, "tls.key")) {
      cert = Files2.read(name, dir.resolve("tls.crt"));
      key = Files2.read(name, dir.resolve("tls.key"));
    } else if (exists(dir, "cert") && exists(dir, "key")) {
      throw new CredentialException(name, "found keys \"cert\" and \"key\" in " + dir + ", but they were empty");
    } else if (exists(dir, "tls.crt") && exists(dir, "tls.key")) {
      throw new CredentialException(name, "found keys \"tls.crt\" and \"tls.key\" in " + dir
          + ", but they were empty");
    } else {
      throw new CredentialException(name, "found " + dir + ", but it does not have the expected keys (cert and key)"
          + " or (tls.crt and tls.key); found: " + keys(dir));
    }

    PemInput ca = null;
    PemInput crl = null;
    Path companion = root.resolve(ref.namespace()).resolve(ref.name() + "-cacert");
    Path caDir = Files.isDirectory(companion) ? companion : dir;
    if (hasValue(caDir, "cacert")) {
      ca = Files2.read(name, caDir.resolve("cacert"));
      crl = hasValue(caDir, "crl") ? Files2.read(name, caDir.resolve("crl")) : null;
    } else if (hasValue(caDir, "ca.crt")) {
      ca = Files2.read(name, caDir.resolve("ca.crt"));
      crl = hasValue(caDir, "ca.crl") ? Files2.read(name, caDir.resolve("ca.crl")) : null;
    } else if (caDir == companion) {
      throw new CredentialException(name, "found " + companion + ", but it does not have the expected keys cacert"
          + " or ca.crt; found: " + keys(companion));
    }
    String origin = ca == null || caDir == dir ? dir.toString() : dir + " (CA from " + companion + ")";
    return new CredentialMaterial(origin, cert, key, ca, crl);
  }

  // Names come from configuration: refuse anything that would escape the credentials directory.
  private static void checkSegment(String credential, String what, String value) {
    if (value.isEmpty() || value.equals(".") || value.equals("..") || value.contains("/") || value.contains("\\")
        || value.indexOf('\0') >= 0) {
      throw new CredentialException(credential, "invalid " + what + " '" + value + "'");
    }
  }

  private static boolean exists(Path dir, String key) {
    return Files.isRegularFile(dir.resolve(key));
  }

  private static boolean hasValue(Path dir, String key) {
    Path p = dir.resolve(key);
    try {
      return Files.isRegularFile(p) && Files.size(p) > 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static String keys(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      List<String> names = s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("..")).sorted().toList();
      return names.isEmpty() ? "(nothing)" : String.join(", ", names);
    } catch (IOException e) {
      return "(unlistable: " + e.getMessage() + ")";
    }
  }
}

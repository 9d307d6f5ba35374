package dev.meshgate.cert.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/** Writes credential directories the way kubelet mounts Secrets (or plainly). */
final class SecretDirs {

  private SecretDirs() {
  }

  /** Plain files, replaced in place with an atomic rename each (what a person or a config tool does). */
  static void writePlain(Path dir, Map<String, String> keys) throws IOException {
    Files.createDirectories(dir);
    for (var e : keys.entrySet()) {
      Path tmp = dir.resolve("." + e.getKey() + ".tmp");
      Files.writeString(tmp, e.getValue());
      Files.move(tmp, dir.resolve(e.getKey()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /**
   * Kubelet's AtomicWriter layout: the data lives in {@code ..<version>/}, {@code ..data} points to it, and each key
   * is a symlink {@code key -> ..data/key}. An update writes a new version directory and renames a fresh
   * {@code ..data_tmp} symlink over {@code ..data}, so all keys change in one step.
   */
  static void writeSecretVolume(Path dir, String version, Map<String, String> keys) throws IOException {
    Files.createDirectories(dir);
    Path data = dir.resolve(".." + version);
    Files.createDirectories(data);
    for (var e : keys.entrySet()) {
      Files.writeString(data.resolve(e.getKey()), e.getValue());
    }
    Path tmpLink = dir.resolve("..data_tmp");
    Files.deleteIfExists(tmpLink);
    Files.createSymbolicLink(tmpLink, data.getFileName());
    Files.move(tmpLink, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    for (String key : keys.keySet()) {
      Path link = dir.resolve(key);
      if (!Files.isSymbolicLink(link)) {
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of("..data").resolve(key));
      }
    }
  }
}

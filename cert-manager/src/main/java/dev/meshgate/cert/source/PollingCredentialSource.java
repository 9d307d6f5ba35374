package dev.meshgate.cert.source;

import dev.meshgate.cert.CredentialException;
import dev.meshgate.cert.CredentialListener;
import dev.meshgate.cert.CredentialRef;
import dev.meshgate.cert.CredentialSource;
import dev.meshgate.cert.CredentialStatus;
import dev.meshgate.cert.Registration;
import dev.meshgate.cert.TlsCredential;
import dev.meshgate.cert.pem.CredentialParser;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Shared machinery of the file-based sources: load on demand, then re-read every credential on a Vert.x timer
 * (the reads and parsing run on a worker thread) and reload when the content hash changed.
 *
 * <p>Polling the content rather than using a WatchService is deliberate: Kubernetes Secret and ConfigMap volumes
 * update by swapping a {@code ..data} symlink, which inotify reports on the directory entry, not on the files
 * the credential names; reading the files through the symlinks sees every kind of update the same way. The files
 * are a few KiB, so hashing them every tick is cheap.
 *
 * <p>A reload that fails (unreadable, broken PEM, key/certificate mismatch, missing file) is logged once per
 * distinct content as an error naming the credential, and the credential in force is kept.
 */
public abstract class PollingCredentialSource implements CredentialSource {

  private static final System.Logger LOG = System.getLogger("dev.meshgate.cert");

  /** Default interval between two checks of the watched files. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);

  protected final Vertx vertx;
  protected final CredentialParser parser;
  private final Map<CredentialRef, Entry> entries = new ConcurrentHashMap<>();
  private final List<CredentialListener> listeners = new CopyOnWriteArrayList<>();
  private Future<Void> running; // guarded by this
  private final long timerId;

  protected PollingCredentialSource(Vertx vertx, Duration pollInterval, CredentialParser parser) {
    this.vertx = vertx;
    this.parser = parser;
    this.timerId = vertx.setPeriodic(Math.max(10, pollInterval.toMillis()), id -> poll());
  }

  /** Reads the inputs of {@code ref}. Blocking: always called on a worker thread. */
  protected abstract CredentialMaterial read(CredentialRef ref) throws CredentialException;

  @Override
  public Future<TlsCredential> get(String namespace, String name) {
    return get(new CredentialRef(namespace, name));
  }

  protected Future<TlsCredential> get(CredentialRef ref) {
    Entry entry = entries.computeIfAbsent(ref, Entry::new);
    TlsCredential current = entry.current;
    if (current != null) {
      return Future.succeededFuture(current);
    }
    Promise<TlsCredential> promise = Promise.promise();
    synchronized (entry) {
      Future<TlsCredential> first = entry.firstLoad;
      if (first != null && !first.isComplete()) {
        return first;
      }
      // Not loaded yet, or the last attempt failed: try now rather than make the caller wait for the next tick.
      entry.firstLoad = promise.future();
    }
    vertx.executeBlocking(() -> refresh(entry), false).onComplete(ar -> {
      if (ar.failed()) {
        promise.fail(ar.cause());
        return;
      }
      if (ar.result() != null) {
        notifyListeners(List.of(ar.result()));
      }
      TlsCredential now = entry.current;
      if (now != null) {
        promise.complete(now);
      } else {
        promise.fail(new CredentialException(ref.toString(), entry.lastError == null ? "not loaded" : stripPrefix(ref,
            entry.lastError)));
      }
    });
    return promise.future();
  }

  @Override
  public Registration addListener(CredentialListener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public List<CredentialStatus> inventory() {
    List<CredentialStatus> out = new ArrayList<>();
    for (Entry e : entries.values()) {
      TlsCredential c = e.current;
      out.add(new CredentialStatus(e.ref.toString(), c != null ? c.origin() : e.origin, c, e.lastError,
          e.lastErrorAt));
    }
    out.sort(Comparator.comparing(CredentialStatus::name));
    return out;
  }

  @Override
  public void close() {
    vertx.cancelTimer(timerId);
  }

  /**
   * Checks every watched credential now (the timer does this periodically). Completes after the check, with the
   * listeners of any reloaded credential already called; if a check is running, another one follows it.
   */
  public Future<Void> pollNow() {
    Promise<Void> done = Promise.promise();
    synchronized (this) {
      if (running != null) {
        return running.transform(ar -> pollNow());
      }
      // set before the work starts: a completion on another thread must never see a stale field
      running = done.future();
    }
    vertx.executeBlocking(() -> {
      List<TlsCredential> changed = new ArrayList<>();
      for (Entry e : entries.values()) {
        TlsCredential c = refresh(e);
        if (c != null) {
          changed.add(c);
        }
      }
      return changed;
    }, false).onComplete(ar -> {
      if (ar.succeeded()) {
        notifyListeners(ar.result());
      }
      synchronized (this) {
        running = null;
      }
      if (ar.succeeded()) {
        done.complete();
      } else {
        LOG.log(System.Logger.Level.ERROR, "credential check failed", ar.cause());
        done.fail(ar.cause());
      }
    });
    return done.future();
  }

  private void poll() {
    synchronized (this) {
      if (running != null) {
        return; // the timer never queues up behind a slow check
      }
    }
    pollNow();
  }

  /** Re-reads one entry; returns the new credential when it changed and loaded, null otherwise. Worker thread. */
  private TlsCredential refresh(Entry entry) {
    synchronized (entry) {
      CredentialMaterial material;
      try {
        material = read(entry.ref);
      } catch (CredentialException e) {
        failed(entry, "unreadable:" + e.getMessage(), e.getMessage());
        return null;
      } catch (RuntimeException e) {
        String msg = "credential " + entry.ref + ": " + e;
        failed(entry, "unreadable:" + msg, msg);
        return null;
      }
      entry.origin = material.origin();
      String hash = material.hash();
      if (hash.equals(entry.lastHash)) {
        return null;
      }
      try {
        TlsCredential loaded = parser.parse(entry.ref.toString(), material.origin(), material.cert(),
            material.key(), material.ca(), material.crl());
        boolean first = entry.current == null;
        entry.current = loaded;
        entry.lastHash = hash;
        entry.lastError = null;
        entry.lastErrorAt = null;
        LOG.log(System.Logger.Level.INFO, "credential {0}: {1} {2} (serial {3}, not after {4}) from {5}",
            entry.ref, first ? "loaded" : "reloaded", loaded.subject(), loaded.serialHex(), loaded.notAfter(),
            loaded.origin());
        for (String w : loaded.warnings()) {
          LOG.log(System.Logger.Level.WARNING, "credential {0}: {1}", entry.ref, w);
        }
        return loaded;
      } catch (CredentialException e) {
        failed(entry, hash, e.getMessage());
        return null;
      }
    }
  }

  private void failed(Entry entry, String stateKey, String message) {
    if (stateKey.equals(entry.lastHash)) {
      return; // already reported this exact content
    }
    entry.lastHash = stateKey;
    entry.lastError = message;
    entry.lastErrorAt = Instant.now();
    if (entry.current != null) {
      LOG.log(System.Logger.Level.ERROR, "{0}; keeping the previous certificate (serial {1}) in force", message,
          entry.current.serialHex());
    } else {
      LOG.log(System.Logger.Level.ERROR, message);
    }
  }

  private void notifyListeners(List<TlsCredential> changed) {
    for (TlsCredential c : changed) {
      for (CredentialListener l : listeners) {
        try {
          l.credentialChanged(c);
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.ERROR, "credential " + c.name() + ": listener failed", e);
        }
      }
    }
  }

  private static String stripPrefix(CredentialRef ref, String message) {
    String prefix = "credential " + ref + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  private static final class Entry {
    final CredentialRef ref;
    volatile TlsCredential current;
    volatile String lastHash;
    volatile String lastError;
    volatile Instant lastErrorAt;
    volatile String origin;
    volatile Future<TlsCredential> firstLoad;

    Entry(CredentialRef ref) {
      this.ref = ref;
    }
  }
}

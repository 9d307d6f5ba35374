package dev.meshgate.config.source.file;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.snapshot.BuildResult;
import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.config.snapshot.ContentHash;
import dev.meshgate.config.snapshot.InvalidConfigException;
import dev.meshgate.config.snapshot.SnapshotBuilder;
import dev.meshgate.config.snapshot.SnapshotPublisher;
import dev.meshgate.config.store.LayeredSnapshots;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Loads config files and directories, watches them, and publishes a new snapshot after each burst of changes.
 *
 * <p>Watching uses the JDK WatchService (inotify on Linux) on one dedicated thread rather than polling mtimes:
 * changes arrive within the debounce time instead of a poll interval, an idle gateway does no I/O, and the
 * blocking wait and all file reading stay off the Vert.x event loops. Any event in any watched directory
 * triggers a full re-read rather than a per-file update, which is what makes the Kubernetes ConfigMap
 * {@code ..data} symlink swap work: the swap is a rename inside the watched directory, and re-reading through
 * the {@code x.yaml -> ..data/x.yaml} links sees the new content. Input identical to the last attempt (same
 * fingerprint) is not parsed again, so editor swap files and the periodic resync cost only a read.
 * What no watched directory reports (a symlink to a file in an unwatched directory, network file systems, a
 * deleted and recreated root) is picked up by the periodic resync ({@link FileSourceOptions#resync()}).
 *
 * <p>Policy: a change with any error anywhere is rejected whole; the last good snapshot keeps serving, every
 * diagnostic is logged and recorded in the publisher's status, and the next valid state of the files is applied.
 * At {@link #start()} an invalid configuration fails the returned future instead (fail fast); its
 * {@link InvalidConfigException} carries every diagnostic, and reporting them is then the caller's job.
 *
 * <p>Alone, the source builds and publishes snapshots from the files. When the files are one layer among others
 * (the admin API/cluster store), construct it with a {@link FileLoadSink} ({@link #layered}): each load's
 * resources and diagnostics then go to the sink, which merges the layers, names conflicts and publishes or
 * rejects; the policy above is unchanged.
 */
public final class FileConfigSource implements AutoCloseable {

    private static final Log LOG = new Log(FileConfigSource.class);
    /** A clustered store may take a while to answer, but a stuck one must not stop the watcher for good. */
    private static final long SINK_TIMEOUT_SECONDS = 60;

    private final FileSourceOptions options;
    private final FileParser parser;
    private final SnapshotBuilder builder;
    private final FileLoadSink sink;
    private final SnapshotPublisher publisher;

    private WatchService watcher;
    private Thread thread;
    private volatile boolean closed;
    /** Fingerprint of the last input attempted; watcher thread only. */
    private String lastFingerprint;

    public FileConfigSource(FileSourceOptions options, FileParser parser, SnapshotBuilder builder,
                            SnapshotPublisher publisher) {
        this.options = Objects.requireNonNull(options, "options");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.builder = Objects.requireNonNull(builder, "builder");
        this.sink = null;
        this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    /**
     * A source whose loads go to {@code sink} instead of being published here.
     *
     * @param publisher the publisher the sink publishes to (read for {@link #publisher()} and log lines)
     */
    public FileConfigSource(FileSourceOptions options, FileParser parser, FileLoadSink sink,
                            SnapshotPublisher publisher) {
        this.options = Objects.requireNonNull(options, "options");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.builder = null;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    /** The files as the file layer of {@code pipeline}, which merges them with its store. */
    public static FileConfigSource layered(FileSourceOptions options, FileParser parser, LayeredSnapshots pipeline) {
        return new FileConfigSource(options, parser, pipeline::onFileLoad, pipeline.publisher());
    }

    public SnapshotPublisher publisher() {
        return publisher;
    }

    /**
     * Loads the configuration and starts watching. Completes (on the watcher thread) with the first snapshot,
     * or fails with an {@link InvalidConfigException} carrying every diagnostic; then nothing is watched.
     */
    public synchronized Future<ConfigSnapshot> start() {
        if (thread != null || closed) {
            return Future.failedFuture(new IllegalStateException("file config source already started or closed"));
        }
        try {
            watcher = FileSystems.getDefault().newWatchService();
        } catch (IOException e) {
            return Future.failedFuture(e);
        }
        Promise<ConfigSnapshot> started = Promise.promise();
        thread = new Thread(() -> run(started), "meshgate-config-watcher");
        thread.setDaemon(true);
        thread.start();
        return started.future();
    }

    /** Stops watching. The publisher keeps its last snapshot. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
            if (watcher != null) {
                try {
                    watcher.close(); // wakes the watcher thread with ClosedWatchServiceException
                } catch (IOException e) {
                    LOG.warn("closing the config watch service: " + e);
                }
            }
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run(Promise<ConfigSnapshot> started) {
        try {
            List<Diagnostic> rejected = reload(true);
            if (rejected != null) {
                started.fail(new InvalidConfigException(rejected));
                return;
            }
            started.complete(publisher.current());
            watchLoop();
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed
        } catch (Throwable t) {
            LOG.error("config watcher stopped", t);
        } finally {
            if (!started.future().isComplete()) {
                started.fail(new IllegalStateException("file config source closed before the first load"));
            }
            closeWatcher();
        }
    }

    private void watchLoop() throws InterruptedException {
        long debounce = options.debounce().toNanos();
        long maxDelay = debounce * 10; // a file rewritten continuously must not starve reloads
        long resync = options.resync().toNanos();
        boolean pending = false;
        long firstEvent = 0;
        long lastEvent = 0;
        while (!closed) {
            WatchKey key;
            if (pending) {
                long wait = Math.min(lastEvent + debounce, firstEvent + maxDelay) - System.nanoTime();
                if (wait <= 0) {
                    pending = false;
                    reload(false);
                    continue;
                }
                key = watcher.poll(wait, TimeUnit.NANOSECONDS);
            } else if (resync > 0) {
                key = watcher.poll(resync, TimeUnit.NANOSECONDS);
                if (key == null) {
                    reload(false);
                    continue;
                }
            } else {
                key = watcher.take();
            }
            if (key != null) {
                key.pollEvents(); // what changed does not matter: every reload re-reads everything
                key.reset();
                long now = System.nanoTime();
                if (!pending) {
                    pending = true;
                    firstEvent = now;
                }
                lastEvent = now;
            }
        }
    }

    /** One load attempt. Returns null when applied (or unchanged), else the diagnostics that rejected it. */
    private List<Diagnostic> reload(boolean initial) {
        ConfigFiles.Scan scan = ConfigFiles.scan(options.paths());
        watch(scan); // before reading, so a change made while reading is not missed
        ConfigFiles.Contents contents = ConfigFiles.read(scan);
        if (!initial && contents.fingerprint().equals(lastFingerprint)) {
            return null;
        }
        lastFingerprint = contents.fingerprint();
        if (sink != null) {
            return deliver(contents, initial);
        }
        BuildResult result;
        try {
            FileParser.Parsed parsed = ConfigFiles.parse(contents, parser);
            result = builder.build(parsed.resources(), parsed.diagnostics());
        } catch (RuntimeException e) {
            // a loader or validator bug must not stop the watcher; the last good snapshot keeps serving
            LOG.error("config load failed", e);
            List<Diagnostic> internal = List.of(Diagnostic.error(null, 0, null, null,
                    "internal error while loading config: " + e));
            publisher.reject(internal);
            return internal;
        }
        ConfigSnapshot current = publisher.current();
        if (result.hasErrors()) {
            if (!initial) { // at start the caller gets them all in the InvalidConfigException and reports them
                result.diagnostics().forEach(LOG::diagnostic);
                long errors = result.errors().size();
                LOG.warn("config change rejected: " + errors + (errors == 1 ? " error" : " errors")
                        + (current.version() > 0 ? "; still serving version " + current.version()
                        + " (hash " + ContentHash.shortHash(current.hash()) + ")" : ""));
            }
            publisher.reject(result.diagnostics());
            return result.diagnostics();
        }
        ConfigSnapshot next = builder.toSnapshot(result, current);
        boolean wasFailing = publisher.status().failing();
        if (next != current) {
            result.diagnostics().forEach(LOG::diagnostic);
        } else if (wasFailing) {
            LOG.info("config valid again; version " + current.version() + " keeps serving unchanged");
        }
        publisher.publish(next, result.diagnostics());
        return null;
    }

    /** Hands one load to the sink and waits (on the watcher thread, bounded) for its verdict. */
    private List<Diagnostic> deliver(ConfigFiles.Contents contents, boolean initial) {
        List<Diagnostic> rejected;
        try {
            FileParser.Parsed parsed = ConfigFiles.parse(contents, parser);
            sink.onFileLoad(parsed.resources(), parsed.diagnostics())
                    .toCompletionStage().toCompletableFuture().get(SINK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InvalidConfigException invalid) {
                rejected = invalid.diagnostics();
            } else {
                LOG.error("config load failed", e.getCause());
                rejected = List.of(Diagnostic.error(null, 0, null, null,
                        "internal error while loading config: " + e.getCause()));
            }
        } catch (TimeoutException | RuntimeException e) {
            LOG.error("config load failed", e);
            rejected = List.of(Diagnostic.error(null, 0, null, null, "internal error while loading config: " + e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            rejected = List.of(Diagnostic.error(null, 0, null, null, "interrupted while loading config"));
        }
        if (!initial) { // the sink logged the diagnostics; at start the caller reports them
            ConfigSnapshot current = publisher.current();
            LOG.warn("config change rejected" + (current.version() > 0 ? "; still serving version "
                    + current.version() + " (hash " + ContentHash.shortHash(current.hash()) + ")" : ""));
        }
        return rejected;
    }

    private void watch(ConfigFiles.Scan scan) {
        for (Path dir : scan.directories()) {
            try {
                // registering again is cheap and idempotent, and re-targets a path whose symlink now points elsewhere
                dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                        StandardWatchEventKinds.ENTRY_MODIFY);
            } catch (ClosedWatchServiceException e) {
                throw e;
            } catch (IOException e) {
                LOG.fine("cannot watch " + dir + ": " + e);
            }
        }
    }

    private synchronized void closeWatcher() {
        closed = true;
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.fine("closing the config watch service: " + e);
        }
    }
}

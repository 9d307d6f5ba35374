package dev.meshgate.config.store;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.snapshot.BuildResult;
import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.config.snapshot.InvalidConfigException;
import dev.meshgate.config.snapshot.SnapshotBuilder;
import dev.meshgate.config.snapshot.SnapshotPublisher;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The snapshot pipeline over both layers: every file load ({@link #onFileLoad}) and every committed store change
 * (a {@link StoreListener}) rebuilds the candidate from {@link ConfigLayers#candidates()} and publishes it, or
 * rejects it (the last good snapshot keeps serving, the status records why). Rebuilds run one at a time on a
 * dedicated thread; requests that arrive while one is queued share it.
 *
 * <p>With a file source ({@code waitForFiles}), store changes are applied only once the file layer has loaded:
 * before that a snapshot would lack the files (a cluster store delivers its content while the files are still
 * being read). The first {@link #onFileLoad} reads the store's content as it is then, so nothing committed earlier
 * is missed. {@link #rebuild()} called directly always rebuilds.
 */
public final class LayeredSnapshots implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LayeredSnapshots.class.getName());

    private final ConfigLayers layers;
    private final SnapshotBuilder builder;
    private final SnapshotPublisher publisher;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "meshgate-config-layers");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<Promise<ConfigSnapshot>> queued = new AtomicReference<>();
    private final ResourceStore.Registration registration;
    private volatile List<Diagnostic> fileDiagnostics = List.of();
    private volatile boolean filesLoaded;

    /** Applies every store change at once (no file layer to wait for, or one loaded before any store write). */
    public LayeredSnapshots(ConfigLayers layers, SnapshotBuilder builder, SnapshotPublisher publisher) {
        this(layers, builder, publisher, false);
    }

    /**
     * @param waitForFiles true when a file source will call {@link #onFileLoad}: store changes wait for its first
     *                     load, so no snapshot is ever published without the file layer
     */
    public LayeredSnapshots(ConfigLayers layers, SnapshotBuilder builder, SnapshotPublisher publisher,
                            boolean waitForFiles) {
        this.filesLoaded = !waitForFiles;
        this.layers = layers;
        this.builder = builder;
        this.publisher = publisher;
        this.registration = layers.store().addListener(event -> {
            if (filesLoaded) {
                rebuild();
            }
        });
    }

    public SnapshotPublisher publisher() {
        return publisher;
    }

    /** A new state of the files: their resources and load diagnostics (errors reject the whole candidate). */
    public Future<ConfigSnapshot> onFileLoad(List<Resource<?>> resources, List<Diagnostic> loadDiagnostics) {
        layers.setFileLayer(resources);
        fileDiagnostics = List.copyOf(loadDiagnostics);
        filesLoaded = true;
        return rebuild();
    }

    /**
     * Rebuilds from the current layers. Completes with the serving snapshot, or fails with an
     * {@link InvalidConfigException} when the candidate was rejected.
     */
    public Future<ConfigSnapshot> rebuild() {
        Promise<ConfigSnapshot> fresh = Promise.promise();
        Promise<ConfigSnapshot> existing = queued.compareAndExchange(null, fresh);
        if (existing != null) {
            return existing.future();
        }
        worker.execute(() -> {
            queued.compareAndSet(fresh, null); // later requests see state from here on: they need a new run
            try {
                fresh.complete(buildAndPublish());
            } catch (RuntimeException e) {
                fresh.fail(e);
            }
        });
        return fresh.future();
    }

    private ConfigSnapshot buildAndPublish() {
        LayerMerge merged;
        try {
            // a dedicated thread may wait on the store (a distributed one answers asynchronously)
            merged = layers.candidates().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            List<Diagnostic> d = List.of(Diagnostic.error(null, 0, null, null, "cannot read the API layer: " + e));
            publisher.reject(d);
            throw new InvalidConfigException(d);
        }
        List<Diagnostic> loadDiagnostics = new ArrayList<>(fileDiagnostics);
        loadDiagnostics.addAll(merged.diagnostics());
        BuildResult result = builder.build(merged.resources(), loadDiagnostics);
        if (result.hasErrors()) {
            result.errors().forEach(d -> LOG.warning(d.format()));
            publisher.reject(result.diagnostics());
            throw new InvalidConfigException(result.diagnostics());
        }
        ConfigSnapshot next = builder.toSnapshot(result, publisher.current());
        List<Diagnostic> warnings = result.diagnostics();
        publisher.publish(next, warnings);
        return publisher.current();
    }

    @Override
    public void close() {
        registration.close();
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.log(Level.FINE, "interrupted while closing", e);
        }
    }
}

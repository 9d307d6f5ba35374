package dev.meshgate.config.store;

import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.ObjectMeta;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.ResourceKey;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The single-node store. Writes are serialised by one lock (they are rare: admin API calls), reads are lock-free.
 * The resourceVersion is a store-wide revision counter, like etcd's, so it also orders changes across keys.
 * Listeners run on the writer's thread, inside the write lock, so they observe changes in commit order.
 */
public final class InMemoryResourceStore implements ResourceStore {

    private static final Logger LOG = Logger.getLogger(InMemoryResourceStore.class.getName());

    static final Comparator<Resource<?>> ORDER = Comparator
            .comparing((Resource<?> r) -> r.kind().ordinal())
            .thenComparing(r -> Objects.toString(r.namespace(), ""))
            .thenComparing(r -> Objects.toString(r.name(), ""));

    private final Map<ResourceKey, Resource<?>> resources = new ConcurrentHashMap<>();
    private final List<StoreListener> listeners = new CopyOnWriteArrayList<>();
    private final Object writeLock = new Object();
    private final Clock clock;
    private volatile long revision;

    public InMemoryResourceStore() {
        this(Clock.systemUTC());
    }

    public InMemoryResourceStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Future<List<Resource<?>>> list(Kind kind, String namespace) {
        List<Resource<?>> out = new ArrayList<>();
        for (Resource<?> r : resources.values()) {
            if (r.kind() == kind && (namespace == null || namespace.equals(r.namespace()))) {
                out.add(r);
            }
        }
        out.sort(ORDER);
        return Future.succeededFuture(List.copyOf(out));
    }

    @Override
    public Future<List<Resource<?>>> listAll() {
        List<Resource<?>> out = new ArrayList<>(resources.values());
        out.sort(ORDER);
        return Future.succeededFuture(List.copyOf(out));
    }

    @Override
    public Future<Resource<?>> get(ResourceKey key) {
        return Future.succeededFuture(resources.get(key));
    }

    @Override
    public Future<Resource<?>> create(Resource<?> resource) {
        ResourceKey key = resource.key();
        synchronized (writeLock) {
            if (resources.containsKey(key)) {
                return Future.failedFuture(StoreException.alreadyExists(key));
            }
            ObjectMeta m = resource.metadata();
            Instant created = m.creationTimestamp() != null ? m.creationTimestamp() : now();
            Resource<?> stored = resource.withMetadata(meta(m, created, nextRevision(), 1L));
            resources.put(key, stored);
            fire(new StoreEvent(StoreEvent.Type.ADDED, stored, null));
            return Future.succeededFuture(stored);
        }
    }

    @Override
    public Future<Resource<?>> replace(Resource<?> resource, String expectedResourceVersion) {
        ResourceKey key = resource.key();
        synchronized (writeLock) {
            Resource<?> old = resources.get(key);
            StoreException refused = check(key, old, expectedResourceVersion);
            if (refused != null) {
                return Future.failedFuture(refused);
            }
            ObjectMeta om = old.metadata();
            long oldGen = om.generation() == null ? 1L : om.generation();
            long gen = Objects.equals(old.spec(), resource.spec()) ? oldGen : oldGen + 1;
            Resource<?> stored = resource.withMetadata(meta(resource.metadata(), om.creationTimestamp(), nextRevision(), gen));
            resources.put(key, stored);
            fire(new StoreEvent(StoreEvent.Type.MODIFIED, stored, old));
            return Future.succeededFuture(stored);
        }
    }

    @Override
    public Future<Resource<?>> delete(ResourceKey key, String expectedResourceVersion) {
        synchronized (writeLock) {
            Resource<?> old = resources.get(key);
            StoreException refused = check(key, old, expectedResourceVersion);
            if (refused != null) {
                return Future.failedFuture(refused);
            }
            resources.remove(key);
            nextRevision();
            fire(new StoreEvent(StoreEvent.Type.DELETED, old, old));
            return Future.succeededFuture(old);
        }
    }

    @Override
    public Future<String> currentVersion() {
        return Future.succeededFuture(Long.toString(revision));
    }

    @Override
    public Registration addListener(StoreListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private static StoreException check(ResourceKey key, Resource<?> old, String expected) {
        if (old == null) {
            return StoreException.notFound(key);
        }
        String actual = old.metadata().resourceVersion();
        if (expected != null && !expected.equals(actual)) {
            return StoreException.conflict(key, expected, actual);
        }
        return null;
    }

    private String nextRevision() {
        revision = revision + 1; // only under writeLock
        return Long.toString(revision);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS); // RFC 3339 timestamps in Kubernetes have seconds
    }

    private static ObjectMeta meta(ObjectMeta m, Instant created, String rv, long generation) {
        return new ObjectMeta(m.name(), m.namespace(), m.labels(), m.annotations(), created, rv, generation);
    }

    private void fire(StoreEvent event) {
        for (StoreListener l : listeners) {
            try {
                l.onChange(event);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "store listener failed on " + event.type() + " " + event.key(), e);
            }
        }
    }
}

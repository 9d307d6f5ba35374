package dev.meshgate.config.store.hazelcast;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.flakeidgen.FlakeIdGenerator;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.ObjectMeta;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.ResourceKey;
import dev.meshgate.config.model.SourceRef;
import dev.meshgate.config.store.ResourceStore;
import dev.meshgate.config.store.StoreEvent;
import dev.meshgate.config.store.StoreException;
import dev.meshgate.config.store.StoreListener;
import dev.meshgate.config.yaml.LoadResult;
import dev.meshgate.config.yaml.LoaderOptions;
import dev.meshgate.config.yaml.ResourceEncoder;
import dev.meshgate.config.yaml.ResourceLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The API layer shared by every replica: a Hazelcast {@link IMap} keyed by {@link ResourceKey#toString()}, each
 * value the resource's JSON (with its source name) in an envelope. Every replica's entry listener turns committed
 * changes into {@link StoreEvent}s, so a write through any replica's admin API is applied by all of them.
 *
 * <p>Consistency model: AP. Entries are partitioned with synchronous backups ({@link ClusterOptions#backupCount()}),
 * so losing fewer replicas than that at once loses nothing. Writes are compare-and-set on the whole stored value
 * ({@code putIfAbsent}, {@code replace(k, old, new)}, {@code remove(k, old)}), which makes optimistic concurrency
 * exact across replicas while the cluster is whole. resourceVersion comes from a {@link FlakeIdGenerator}: unique
 * across the cluster without the CP subsystem (no Raft quorum needed), roughly ordered by time, opaque to clients
 * as in Kubernetes. During a network split each side keeps accepting writes; when it heals, Hazelcast merges the
 * smaller side into the larger with {@code LatestUpdateMergePolicy}: per key the entry written last wins, an entry
 * created on the smaller side is added, and a delete made on one side during the split can be undone by the other
 * side's copy. Nothing is persisted: the layer lives as long as one replica does.
 */
public final class HazelcastResourceStore implements ResourceStore, AutoCloseable {

    public static final String RESOURCES = "meshgate.resources";
    public static final String META = "meshgate.store-meta";
    static final String REVISION = "revision";
    private static final String ID_GENERATOR = "meshgate.resource-version";
    private static final int UNCONDITIONAL_ATTEMPTS = 5;
    private static final Logger LOG = Logger.getLogger(HazelcastResourceStore.class.getName());
    private static final Comparator<Resource<?>> ORDER = Comparator
            .comparing((Resource<?> r) -> r.kind().ordinal())
            .thenComparing(r -> Objects.toString(r.namespace(), ""))
            .thenComparing(r -> Objects.toString(r.name(), ""));

    private final Vertx vertx;
    private final IMap<String, String> map;
    private final IMap<String, String> meta;
    private final FlakeIdGenerator ids;
    private final Clock clock;
    private final ResourceLoader loader = new ResourceLoader(LoaderOptions.defaults());
    /** Decoded values by stored text: a rebuild decodes only what changed. */
    private final Map<String, Resource<?>> decoded = new ConcurrentHashMap<>();
    private final List<StoreListener> listeners = new CopyOnWriteArrayList<>();
    private final UUID listenerId;

    public HazelcastResourceStore(Vertx vertx, HazelcastInstance hazelcast) {
        this(vertx, hazelcast, Clock.systemUTC());
    }

    public HazelcastResourceStore(Vertx vertx, HazelcastInstance hazelcast, Clock clock) {
        this.vertx = vertx;
        this.map = hazelcast.getMap(RESOURCES);
        this.meta = hazelcast.getMap(META);
        this.ids = hazelcast.getFlakeIdGenerator(ID_GENERATOR);
        this.clock = clock;
        this.listenerId = map.addEntryListener(new Events(), true);
    }

    @Override
    public Future<List<Resource<?>>> list(Kind kind, String namespace) {
        return blocking(() -> {
            List<Resource<?>> out = new ArrayList<>();
            for (Resource<?> r : all()) {
                if (r.kind() == kind && (namespace == null || namespace.equals(r.namespace()))) {
                    out.add(r);
                }
            }
            return List.copyOf(out);
        });
    }

    @Override
    public Future<List<Resource<?>>> listAll() {
        return blocking(() -> List.copyOf(all()));
    }

    @Override
    public Future<Resource<?>> get(ResourceKey key) {
        return blocking(() -> {
            String text = map.get(key.toString());
            return text == null ? null : decode(text);
        });
    }

    @Override
    public Future<Resource<?>> create(Resource<?> resource) {
        return blocking(() -> {
            ResourceKey key = resource.key();
            ObjectMeta m = resource.metadata();
            Instant created = m.creationTimestamp() != null ? m.creationTimestamp() : now();
            String rv = nextVersion();
            Resource<?> stored = resource.withMetadata(meta(m, created, rv, 1L));
            if (map.putIfAbsent(key.toString(), encode(stored)) != null) {
                throw alreadyExists(key);
            }
            meta.set(REVISION, rv);
            return stored;
        });
    }

    @Override
    public Future<Resource<?>> replace(Resource<?> resource, String expectedResourceVersion) {
        return blocking(() -> {
            ResourceKey key = resource.key();
            String k = key.toString();
            for (int attempt = 0; attempt < UNCONDITIONAL_ATTEMPTS; attempt++) {
                String oldText = map.get(k);
                Resource<?> old = check(key, oldText, expectedResourceVersion);
                ObjectMeta om = old.metadata();
                long oldGen = om.generation() == null ? 1L : om.generation();
                long gen = Objects.equals(old.spec(), resource.spec()) ? oldGen : oldGen + 1;
                String rv = nextVersion();
                Resource<?> stored = resource.withMetadata(meta(resource.metadata(), om.creationTimestamp(), rv, gen));
                if (map.replace(k, oldText, encode(stored))) {
                    meta.set(REVISION, rv);
                    return stored;
                }
                if (expectedResourceVersion != null) { // another replica wrote in between
                    throw conflict(key, expectedResourceVersion, currentVersionOf(k));
                }
            }
            throw conflict(key, "(unconditional)", currentVersionOf(k));
        });
    }

    @Override
    public Future<Resource<?>> delete(ResourceKey key, String expectedResourceVersion) {
        return blocking(() -> {
            String k = key.toString();
            for (int attempt = 0; attempt < UNCONDITIONAL_ATTEMPTS; attempt++) {
                String oldText = map.get(k);
                Resource<?> old = check(key, oldText, expectedResourceVersion);
                if (map.remove(k, oldText)) {
                    meta.set(REVISION, nextVersion());
                    return old;
                }
                if (expectedResourceVersion != null) {
                    throw conflict(key, expectedResourceVersion, currentVersionOf(k));
                }
            }
            throw conflict(key, "(unconditional)", currentVersionOf(k));
        });
    }

    @Override
    public Future<String> currentVersion() {
        return blocking(() -> {
            String rv = meta.get(REVISION);
            return rv == null ? "0" : rv;
        });
    }

    @Override
    public Registration addListener(StoreListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Stops listening; the map stays in the cluster. */
    @Override
    public void close() {
        try {
            map.removeEntryListener(listenerId);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "removing the entry listener", e); // the member may be shutting down already
        }
    }

    private List<Resource<?>> all() {
        List<Resource<?>> out = new ArrayList<>();
        for (String text : map.values()) {
            out.add(decode(text));
        }
        out.sort(ORDER);
        if (decoded.size() > 4 * Math.max(16, out.size())) {
            decoded.clear(); // drop the decodings of values replaced long ago
        }
        return out;
    }

    private Resource<?> check(ResourceKey key, String oldText, String expected) {
        if (oldText == null) {
            throw new StoreException(StoreException.Reason.NOT_FOUND, key, key + " not found");
        }
        Resource<?> old = decode(oldText);
        String actual = old.metadata().resourceVersion();
        if (expected != null && !expected.equals(actual)) {
            throw conflict(key, expected, actual);
        }
        return old;
    }

    private String currentVersionOf(String k) {
        String text = map.get(k);
        return text == null ? "(deleted)" : decode(text).metadata().resourceVersion();
    }

    private String nextVersion() {
        return Long.toString(ids.newId());
    }

    /** {@code {"source": "<file>", "resource": {apiVersion, kind, metadata, spec}}}. */
    static String encode(Resource<?> r) {
        return new JsonObject().put("source", r.source().file())
                .put("resource", new JsonObject(ResourceEncoder.toMap(r))).encode();
    }

    Resource<?> decode(String text) {
        return decoded.computeIfAbsent(text, t -> {
            JsonObject envelope = new JsonObject(t);
            String source = envelope.getString("source", "cluster-store");
            LoadResult r = loader.load(source, envelope.getJsonObject("resource").encode());
            if (r.hasErrors() || r.resources().size() != 1) {
                // written by this code, so only a replica running another Meshgate version can cause it
                throw new IllegalStateException("cluster store entry does not load: " + r.diagnostics());
            }
            return r.resources().get(0).withSource(SourceRef.of(source));
        });
    }

    private <T> Future<T> blocking(Callable<T> op) {
        return vertx.executeBlocking(op, false);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static ObjectMeta meta(ObjectMeta m, Instant created, String rv, long generation) {
        return new ObjectMeta(m.name(), m.namespace(), m.labels(), m.annotations(), created, rv, generation);
    }

    private static StoreException alreadyExists(ResourceKey key) {
        return new StoreException(StoreException.Reason.ALREADY_EXISTS, key, key + " already exists");
    }

    private static StoreException conflict(ResourceKey key, String expected, String actual) {
        return new StoreException(StoreException.Reason.CONFLICT, key, key + ": resourceVersion " + expected
                + " is stale (current " + actual + "); the object has been modified, re-read it and try again");
    }

    private void fire(StoreEvent.Type type, String value, String oldValue) {
        try {
            Resource<?> now = value == null ? null : decode(value);
            Resource<?> before = oldValue == null ? null : decode(oldValue);
            StoreEvent event = switch (type) {
                case ADDED -> new StoreEvent(type, now, null);
                case MODIFIED -> new StoreEvent(type, now, before);
                case DELETED -> new StoreEvent(type, before, before);
            };
            for (StoreListener l : listeners) {
                try {
                    l.onChange(event);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "store listener failed on " + type + " " + event.key(), e);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot decode a cluster store event (" + type + ")", e);
        }
    }

    /** Committed changes from every replica, including this one, on Hazelcast's event threads. */
    private final class Events implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>,
            EntryRemovedListener<String, String>, EntryMergedListener<String, String> {

        @Override
        public void entryAdded(EntryEvent<String, String> e) {
            fire(StoreEvent.Type.ADDED, e.getValue(), null);
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> e) {
            fire(StoreEvent.Type.MODIFIED, e.getValue(), e.getOldValue());
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> e) {
            fire(StoreEvent.Type.DELETED, null, e.getOldValue());
        }

        @Override
        public void entryMerged(EntryEvent<String, String> e) {
            fire(e.getOldValue() == null ? StoreEvent.Type.ADDED : StoreEvent.Type.MODIFIED, e.getValue(),
                    e.getOldValue());
        }
    }
}

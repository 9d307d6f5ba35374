package dev.meshgate.config.store.hazelcast;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
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
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
 * smaller side into the larger with {@link NewestWriteMergePolicy}: per key the version written last wins. A delete
 * leaves a tombstone ({@link StoredEntry}) for {@link #DEFAULT_TOMBSTONE_TTL}, invisible to readers, so the merge
 * compares it with the other side's copy instead of restoring that copy. Replicas of the side that merged into the
 * other receive no entry events for what changed under them; a lifecycle listener compares their content with
 * what was last announced and fires the difference. Nothing is persisted: the layer lives as long as one replica
 * does.
 */
public final class HazelcastResourceStore implements ResourceStore, AutoCloseable {

    public static final String RESOURCES = "meshgate.resources";
    public static final String META = "meshgate.store-meta";
    static final String REVISION = "revision";
    private static final String ID_GENERATOR = "meshgate.resource-version";
    /**
     * How long a delete is remembered: a split that lasts longer can bring the deleted resource back when it heals.
     * Overridden by the system property {@code meshgate.cluster.tombstone.ttl.seconds}.
     */
    public static final Duration DEFAULT_TOMBSTONE_TTL = Duration.ofHours(24);
    static final String TOMBSTONE_TTL_PROPERTY = "meshgate.cluster.tombstone.ttl.seconds";
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
    /** The live entries as last announced to the listeners: what a merge is compared with. */
    private final Map<String, String> announced = new ConcurrentHashMap<>();
    private final long tombstoneTtlSeconds;
    private final HazelcastInstance hazelcast;
    private final UUID listenerId;
    private final UUID lifecycleListenerId;
    /** Between MERGING and MERGED the local view is transient (reset, then refilled): nothing is announced. */
    private volatile boolean merging;

    public HazelcastResourceStore(Vertx vertx, HazelcastInstance hazelcast) {
        this(vertx, hazelcast, Clock.systemUTC(), Duration.ofSeconds(
                Long.getLong(TOMBSTONE_TTL_PROPERTY, DEFAULT_TOMBSTONE_TTL.toSeconds())));
    }

    /** @param tombstoneTtl how long a delete is remembered for the merge after a split (at least a second) */
    public HazelcastResourceStore(Vertx vertx, HazelcastInstance hazelcast, Clock clock, Duration tombstoneTtl) {
        this.vertx = vertx;
        this.hazelcast = hazelcast;
        this.map = hazelcast.getMap(RESOURCES);
        this.meta = hazelcast.getMap(META);
        this.ids = hazelcast.getFlakeIdGenerator(ID_GENERATOR);
        this.clock = clock;
        this.tombstoneTtlSeconds = Math.max(1, tombstoneTtl.toSeconds());
        this.listenerId = map.addEntryListener(new Events(), true);
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (!StoredEntry.isTombstone(e.getValue())) {
                announced.putIfAbsent(e.getKey(), e.getValue());
            }
        }
        // called synchronously on Hazelcast's merge thread, before its reset and after the merge operations
        this.lifecycleListenerId = hazelcast.getLifecycleService().addLifecycleListener(e -> {
            switch (e.getState()) {
                case MERGING -> merging = true;
                case MERGED, MERGE_FAILED -> {
                    merging = false;
                    vertx.executeBlocking(this::resync, false).onFailure(x ->
                            LOG.log(Level.WARNING, "cannot compare the store after a merge", x));
                }
                default -> {
                    // nothing to do
                }
            }
        });
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
            return text == null || StoredEntry.isTombstone(text) ? null : decode(text);
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
            String k = key.toString();
            String text = encode(stored, clock.millis());
            for (int attempt = 0; attempt < UNCONDITIONAL_ATTEMPTS; attempt++) {
                String current = map.putIfAbsent(k, text);
                // a tombstone is a deleted resource: create over it, and drop its expiry (ttl 0)
                if (current == null || StoredEntry.isTombstone(current)
                        && map.executeOnKey(k, new CompareAndSet(current, text, 0))) {
                    meta.set(REVISION, rv);
                    return stored;
                }
                if (!StoredEntry.isTombstone(current)) {
                    throw alreadyExists(key);
                }
            }
            throw alreadyExists(key); // created and deleted by others all the while
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
                if (map.replace(k, oldText, encode(stored, clock.millis()))) {
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
                String rv = nextVersion();
                // the tombstone outlives a network split so that the merge cannot restore the other side's copy
                if (map.executeOnKey(k, new CompareAndSet(oldText, StoredEntry.tombstone(clock.millis(), rv),
                        tombstoneTtlSeconds))) {
                    meta.set(REVISION, rv);
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
            hazelcast.getLifecycleService().removeLifecycleListener(lifecycleListenerId);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "removing the entry listener", e); // the member may be shutting down already
        }
    }

    private List<Resource<?>> all() {
        List<Resource<?>> out = new ArrayList<>();
        for (String text : map.values()) {
            if (!StoredEntry.isTombstone(text)) {
                out.add(decode(text));
            }
        }
        out.sort(ORDER);
        if (decoded.size() > 4 * Math.max(16, out.size())) {
            decoded.clear(); // drop the decodings of values replaced long ago
        }
        return out;
    }

    private Resource<?> check(ResourceKey key, String oldText, String expected) {
        if (oldText == null || StoredEntry.isTombstone(oldText)) {
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
        return text == null || StoredEntry.isTombstone(text) ? "(deleted)" : decode(text).metadata().resourceVersion();
    }

    private String nextVersion() {
        return Long.toString(ids.newId());
    }

    /** {@code {"at": <write time millis>, "source": "<file>", "resource": {apiVersion, kind, metadata, spec}}}. */
    static String encode(Resource<?> r, long at) {
        return new JsonObject().put("at", at).put("source", r.source().file())
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

    /**
     * One key went from {@code before} to {@code after} (either may be null or a tombstone): announces what that
     * means to a reader, at most once per stored version.
     */
    private void changed(String key, String before, String after) {
        if (merging) {
            // a reader woken now could read the store half merged and publish that (even empty): the resync at
            // MERGED announces the net change instead
            return;
        }
        boolean live = after != null && !StoredEntry.isTombstone(after);
        String known = live ? announced.put(key, after) : announced.remove(key);
        String previous = known != null ? known : before != null && !StoredEntry.isTombstone(before) ? before : null;
        if (live && after.equals(known)) {
            return; // announced already (a merge compared first, then its own event arrived)
        }
        if (!live && previous == null) {
            return; // no resource before or after: a tombstone was written over a tombstone, expired or merged
        }
        try {
            Resource<?> before0 = previous == null ? null : decode(previous);
            StoreEvent event = !live ? new StoreEvent(StoreEvent.Type.DELETED, before0, before0)
                    : new StoreEvent(before0 == null ? StoreEvent.Type.ADDED : StoreEvent.Type.MODIFIED,
                    decode(after), before0);
            for (StoreListener l : listeners) {
                try {
                    l.onChange(event);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "store listener failed on " + event.type() + " " + event.key(), e);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot decode a cluster store change of " + key, e);
        }
    }

    /**
     * After this replica's side merged into the other, its entries changed without entry events: announce the
     * difference between what was last announced and what the store holds now.
     */
    private Void resync() {
        Map<String, String> now = new HashMap<>();
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (!StoredEntry.isTombstone(e.getValue())) {
                now.put(e.getKey(), e.getValue());
            }
        }
        for (String key : List.copyOf(announced.keySet())) {
            if (!now.containsKey(key)) {
                changed(key, null, null);
            }
        }
        now.forEach((key, text) -> changed(key, null, text));
        LOG.info("cluster store merged after a split: " + now.size() + " resource(s)");
        return null;
    }

    /** Committed changes from every replica, including this one, on Hazelcast's event threads. */
    private final class Events implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>,
            EntryRemovedListener<String, String>, EntryMergedListener<String, String> {

        @Override
        public void entryAdded(EntryEvent<String, String> e) {
            changed(e.getKey(), null, e.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> e) {
            changed(e.getKey(), e.getOldValue(), e.getValue());
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> e) {
            changed(e.getKey(), e.getOldValue(), null);
        }

        @Override
        public void entryMerged(EntryEvent<String, String> e) {
            changed(e.getKey(), e.getOldValue(), e.getValue());
        }
    }
}

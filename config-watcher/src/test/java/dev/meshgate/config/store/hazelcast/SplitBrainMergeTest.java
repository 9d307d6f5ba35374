package dev.meshgate.config.store.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import dev.meshgate.config.diag.ValidationResult;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.ResourceKey;
import dev.meshgate.config.model.networking.VirtualService;
import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.config.snapshot.SnapshotBuilder;
import dev.meshgate.config.snapshot.SnapshotPublisher;
import dev.meshgate.config.store.ConfigLayers;
import dev.meshgate.config.store.LayeredSnapshots;
import dev.meshgate.config.store.StoreEvent;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static dev.meshgate.config.store.hazelcast.HazelcastResourceStoreTest.await;
import static dev.meshgate.config.store.hazelcast.HazelcastResourceStoreTest.freePorts;
import static dev.meshgate.config.store.hazelcast.HazelcastResourceStoreTest.vs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real network split between two Hazelcast members on 127.0.0.1 and its healing, as docs/clustering.md describes
 * it. Each member advertises a {@link Relay} in front of its port; cutting both relays partitions the network, each
 * side removes the other and becomes a cluster of its own; both take writes; restoring the relays lets
 * Hazelcast's split-brain handler find the other cluster and merge. Failure detection and the merge search are
 * lowered to seconds with Hazelcast's own properties; multicast and phone-home are off (production config).
 */
class SplitBrainMergeTest {

    private static final long WAIT_MILLIS = 30_000;

    private final Vertx vertx = Vertx.vertx();
    private HazelcastInstance hzA;
    private HazelcastInstance hzB;
    private Relay relayA;
    private Relay relayB;
    private final List<LayeredSnapshots> pipelines = new java.util.ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        pipelines.forEach(LayeredSnapshots::close);
        for (HazelcastInstance hz : new HazelcastInstance[] {hzA, hzB}) {
            if (hz != null) {
                hz.getLifecycleService().terminate();
            }
        }
        for (Relay r : new Relay[] {relayA, relayB}) {
            if (r != null) {
                r.close();
            }
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void perKeyTheNewestWriteWinsOnBothMembersAndDeletesStayDeleted() throws Exception {
        String cluster = "split-test-" + UUID.randomUUID();
        int[] ports = freePorts(2);
        relayA = new Relay(ports[0]);
        relayB = new Relay(ports[1]);
        CompletableFuture<HazelcastInstance> startA = CompletableFuture.supplyAsync(() ->
                Hazelcast.newHazelcastInstance(config(cluster, ports[0], relayA, relayB)));
        CompletableFuture<HazelcastInstance> startB = CompletableFuture.supplyAsync(() ->
                Hazelcast.newHazelcastInstance(config(cluster, ports[1], relayB, relayA)));
        hzA = startA.get(60, TimeUnit.SECONDS);
        hzB = startB.get(60, TimeUnit.SECONDS);
        waitFor("one cluster of two", () -> members(hzA) == 2 && members(hzB) == 2);
        Map<String, String> mergedOn = new ConcurrentHashMap<>();
        hzA.getLifecycleService().addLifecycleListener(e -> mergedOn(e, "A", mergedOn));
        hzB.getLifecycleService().addLifecycleListener(e -> mergedOn(e, "B", mergedOn));

        // one shared clock: what the test writes later has a later write time, whichever member takes it
        StrictClock clock = new StrictClock();
        HazelcastResourceStore a = new HazelcastResourceStore(vertx, hzA, clock, Duration.ofHours(1));
        HazelcastResourceStore b = new HazelcastResourceStore(vertx, hzB, clock, Duration.ofHours(1));
        Map<String, String> viewA = view(a);
        Map<String, String> viewB = view(b);
        SnapshotPublisher servingA = pipeline(a);
        SnapshotPublisher servingB = pipeline(b);
        ReplicaRegistry registryA = new ReplicaRegistry(vertx, hzA);
        ReplicaRegistry registryB = new ReplicaRegistry(vertx, hzB);
        registryA.report(7, "hash-a", java.time.Instant.now());
        registryB.report(8, "hash-b", java.time.Instant.now());

        // before the split: resources both sides hold
        for (String name : List.of("untouched", "deleted-on-a", "deleted-on-b", "edited-on-both",
                "deleted-on-a-then-edited-on-b", "edited-on-b-then-deleted-on-a")) {
            await(a.create(vs(name, name + ".v1.example.com")));
        }
        waitFor("B has the six resources", () -> await(b.listAll()).size() == 6 && viewB.size() == 6);

        relayA.cut();
        relayB.cut();
        waitFor("each side alone", () -> members(hzA) == 1 && members(hzB) == 1);

        // during the split, in this order (later = newer)
        await(a.create(vs("created-on-a", "created-on-a.a.example.com")));
        await(b.create(vs("created-on-b", "created-on-b.b.example.com")));
        await(a.create(vs("created-on-both", "created-on-both.a.example.com")));
        await(b.create(vs("created-on-both", "created-on-both.b.example.com")));
        await(a.delete(key("deleted-on-a"), null));
        await(b.delete(key("deleted-on-b"), null));
        await(a.replace(vs("edited-on-both", "edited-on-both.a.example.com"), null));
        await(b.replace(vs("edited-on-both", "edited-on-both.b.example.com"), null));
        await(a.delete(key("deleted-on-a-then-edited-on-b"), null));
        await(b.replace(vs("deleted-on-a-then-edited-on-b", "deleted-on-a-then-edited-on-b.b.example.com"), null));
        await(b.replace(vs("edited-on-b-then-deleted-on-a", "edited-on-b-then-deleted-on-a.b.example.com"), null));
        await(a.delete(key("edited-on-b-then-deleted-on-a"), null));
        assertEquals(5, await(a.listAll()).size(), "side A diverged");
        assertEquals(7, await(b.listAll()).size(), "side B diverged");

        relayA.restore();
        relayB.restore();
        waitFor("one cluster again", () -> members(hzA) == 2 && members(hzB) == 2 && mergedOn.size() == 1);

        Map<String, String> expected = new TreeMap<>(Map.of(
                "untouched", "untouched.v1.example.com",
                "created-on-a", "created-on-a.a.example.com",
                "created-on-b", "created-on-b.b.example.com",
                "created-on-both", "created-on-both.b.example.com",
                "edited-on-both", "edited-on-both.b.example.com",
                "deleted-on-a-then-edited-on-b", "deleted-on-a-then-edited-on-b.b.example.com"));
        // the merge operations may still be running when the members see each other
        waitFor("both members hold the merged content", () -> hosts(a).equals(expected) && hosts(b).equals(expected),
                () -> "A holds " + hosts(a) + ", B holds " + hosts(b) + ", expected " + expected);
        for (HazelcastResourceStore s : List.of(a, b)) {
            for (String gone : List.of("deleted-on-a", "deleted-on-b", "edited-on-b-then-deleted-on-a")) {
                assertNull(await(s.get(key(gone))), gone + " came back");
            }
        }
        // each member's listeners were told: the winning side by merge events, the merged side by comparing
        waitFor("the listeners of both members saw the merged content",
                () -> viewA.equals(expected) && viewB.equals(expected),
                () -> "A's listener saw " + new TreeMap<>(viewA) + ", B's " + new TreeMap<>(viewB));
        assertEquals(1, mergedOn.size(), "exactly one side merged into the other: " + mergedOn);
        // and both replicas serve it: the same snapshot content
        waitFor("both replicas serve the merged content",
                () -> hosts(servingA.current()).equals(expected) && hosts(servingB.current()).equals(expected),
                () -> "A serves " + hosts(servingA.current()) + " (" + servingA.status() + "), B serves "
                        + hosts(servingB.current()) + " (" + servingB.status() + ")" + pipelineThreads());
        assertEquals(servingA.current().hash(), servingB.current().hash());
        // the merged side's member came back under a new UUID and reported again; reports of the old one are gone
        waitFor("both replicas report under their current ids", () -> {
            List<ReplicaState> states = await(registryA.replicas());
            return states.size() == 2 && states.stream().allMatch(st -> st.appliedVersion() > 0)
                    && hzA.getMap(ReplicaRegistry.REPLICAS).size() == 2;
        });

        // a resource deleted during the split can be created again after it
        Resource<?> again = await(b.create(vs("deleted-on-a", "deleted-on-a.v2.example.com")));
        assertEquals(1L, again.metadata().generation());
        assertEquals("deleted-on-a.v2.example.com", host(await(a.get(key("deleted-on-a")))));
    }

    /** The production member config, advertising the relay and listing both relays as the members. */
    private static Config config(String cluster, int port, Relay self, Relay other) {
        Config cfg = HazelcastCluster.config(ClusterOptions.loopback(cluster, port, List.of()));
        cfg.getNetworkConfig().setPublicAddress("127.0.0.1:" + self.port());
        TcpIpConfig tcp = cfg.getNetworkConfig().getJoin().getTcpIpConfig().clear();
        tcp.addMember("127.0.0.1:" + self.port()).addMember("127.0.0.1:" + other.port());
        cfg.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        cfg.setProperty("hazelcast.max.no.heartbeat.seconds", "4");
        cfg.setProperty("hazelcast.merge.first.run.delay.seconds", "2");
        cfg.setProperty("hazelcast.merge.next.run.delay.seconds", "1");
        return cfg;
    }

    private static void mergedOn(LifecycleEvent e, String side, Map<String, String> mergedOn) {
        if (e.getState() == LifecycleEvent.LifecycleState.MERGED) {
            mergedOn.put(side, "merged into the other side");
        }
    }

    /** What a store's listeners were told, as name -> host. */
    private static Map<String, String> view(HazelcastResourceStore store) {
        Map<String, String> view = new ConcurrentHashMap<>();
        store.addListener(e -> {
            if (e.type() == StoreEvent.Type.DELETED) {
                view.remove(e.resource().name());
            } else {
                view.put(e.resource().name(), host(e.resource()));
            }
        });
        return view;
    }

    private static Map<String, String> hosts(HazelcastResourceStore store) {
        return hosts(await(store.listAll()));
    }

    private static Map<String, String> hosts(ConfigSnapshot snapshot) {
        return snapshot == null ? Map.of() : hosts(snapshot.resources());
    }

    private static Map<String, String> hosts(List<Resource<?>> resources) {
        Map<String, String> out = new TreeMap<>();
        for (Resource<?> r : resources) {
            out.put(r.name(), host(r));
        }
        return out;
    }

    /** Where the snapshot pipelines' threads are, for a failure message. */
    private static String pipelineThreads() {
        StringBuilder out = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t.getName().startsWith("meshgate-config-layers")) {
                out.append("\n").append(t.getName()).append(' ').append(t.getState());
                for (StackTraceElement e : stack) {
                    out.append("\n  at ").append(e);
                }
            }
        });
        return out.toString();
    }

    /** A replica's snapshot pipeline over the store alone (no files), as the run command builds it. */
    private SnapshotPublisher pipeline(HazelcastResourceStore store) {
        SnapshotPublisher publisher = new SnapshotPublisher();
        LayeredSnapshots p = new LayeredSnapshots(new ConfigLayers(store),
                new SnapshotBuilder(resources -> new ValidationResult(resources, List.of())), publisher);
        pipelines.add(p);
        await(p.rebuild());
        return publisher;
    }

    private static String host(Resource<?> r) {
        return ((VirtualService) r.spec()).hosts().get(0);
    }

    private static ResourceKey key(String name) {
        return vs(name, "x").key();
    }

    private static int members(HazelcastInstance hz) {
        return hz.getCluster().getMembers().size();
    }

    private static void waitFor(String what, BooleanSupplier condition) {
        waitFor(what, condition, () -> "");
    }

    private static void waitFor(String what, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out waiting for: " + what + " " + state.get());
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50); // polling interval of a bounded wait on the condition
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for: " + what);
            }
        }
    }
}

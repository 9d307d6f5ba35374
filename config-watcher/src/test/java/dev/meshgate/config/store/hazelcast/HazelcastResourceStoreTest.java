package dev.meshgate.config.store.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.ObjectMeta;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.ResourceKey;
import dev.meshgate.config.model.SourceRef;
import dev.meshgate.config.model.networking.VirtualService;
import dev.meshgate.config.store.StoreEvent;
import dev.meshgate.config.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two (and in one test three) real Hazelcast members on 127.0.0.1 with TCP/IP join; multicast and phone-home off.
 * Every wait is bounded.
 */
class HazelcastResourceStoreTest {

    private static final long WAIT_SECONDS = 20;

    static Vertx vertx;
    static HazelcastInstance hzA;
    static HazelcastInstance hzB;
    static HazelcastResourceStore a;
    static HazelcastResourceStore b;

    @BeforeAll
    static void cluster() throws Exception {
        vertx = Vertx.vertx();
        String name = "store-test-" + UUID.randomUUID();
        int[] ports = freePorts(2);
        List<HazelcastInstance> hz = startAll(name, ports);
        hzA = hz.get(0);
        hzB = hz.get(1);
        assertEquals(2, hzB.getCluster().getMembers().size(), "the members did not form one cluster");
        a = new HazelcastResourceStore(vertx, hzA);
        b = new HazelcastResourceStore(vertx, hzB);
    }

    @AfterAll
    static void shutdown() throws Exception {
        if (hzA != null) {
            hzA.getLifecycleService().terminate();
        }
        if (hzB != null) {
            hzB.getLifecycleService().terminate();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Starts one member per port, in parallel, each listing all the others. */
    static List<HazelcastInstance> startAll(String cluster, int... ports) throws Exception {
        List<CompletableFuture<HazelcastInstance>> starting = new ArrayList<>();
        for (int p : ports) {
            starting.add(CompletableFuture.supplyAsync(() -> HazelcastCluster.start(options(cluster, p, ports))));
        }
        List<HazelcastInstance> out = new ArrayList<>();
        for (CompletableFuture<HazelcastInstance> f : starting) {
            out.add(f.get(60, TimeUnit.SECONDS));
        }
        return out;
    }

    static ClusterOptions options(String cluster, int port, int... all) {
        List<Integer> others = new ArrayList<>();
        for (int p : all) {
            if (p != port) {
                others.add(p);
            }
        }
        return ClusterOptions.loopback(cluster, port, others);
    }

    /**
     * Ports free now, below Linux's ephemeral range (32768+): the members bind them only later, and meanwhile every
     * port-0 bind and outgoing connection (other members', relays') draws from the ephemeral range, which could
     * otherwise hand one of these out first.
     */
    static int[] freePorts(int n) throws IOException {
        int[] out = new int[n];
        List<ServerSocket> open = new ArrayList<>();
        java.util.Random random = new java.util.Random();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = null;
                for (int attempt = 0; s == null && attempt < 200; attempt++) {
                    try {
                        s = new ServerSocket(20_000 + random.nextInt(12_000), 1,
                                java.net.InetAddress.getLoopbackAddress());
                    } catch (IOException taken) {
                        // try another
                    }
                }
                if (s == null) {
                    throw new IOException("no free port in 20000-31999");
                }
                open.add(s);
                out[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : open) {
                s.close();
            }
        }
        return out;
    }

    static Resource<VirtualService> vs(String name, String host) {
        return new Resource<>("networking.istio.io/v1", Kind.VIRTUAL_SERVICE,
                new ObjectMeta(name, "default", Map.of("app", "x"), Map.of(), null, null, null),
                new VirtualService(List.of(host), List.of("ingress"), List.of(), List.of(), List.of(), List.of()),
                SourceRef.of("admin-api"));
    }

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aResourceCreatedOnOneMemberIsVisibleAndAnnouncedOnTheOther() throws Exception {
        BlockingQueue<StoreEvent> onB = new LinkedBlockingQueue<>();
        try (var reg = b.addListener(onB::add)) {
            Resource<?> created = await(a.create(vs("visible", "visible.example.com")));
            String rv = created.metadata().resourceVersion();
            assertNotNull(rv);
            assertEquals(1L, created.metadata().generation());
            assertNotNull(created.metadata().creationTimestamp());

            Resource<?> seen = await(b.get(created.key()));
            assertEquals(created.spec(), seen.spec());
            assertEquals(created.metadata(), seen.metadata());
            assertEquals("admin-api", seen.source().file());
            assertTrue(await(b.listAll()).stream().anyMatch(r -> r.name().equals("visible")));
            assertEquals(1, await(b.list(Kind.VIRTUAL_SERVICE, "default")).stream()
                    .filter(r -> r.name().equals("visible")).count());
            assertEquals(rv, await(b.currentVersion()));

            StoreEvent added = next(onB, "visible");
            assertEquals(StoreEvent.Type.ADDED, added.type());
            assertEquals(rv, added.resource().metadata().resourceVersion());

            await(b.delete(created.key(), rv));
            assertNull(await(a.get(created.key())));
        }
    }

    @Test
    void optimisticConcurrencyHoldsAcrossMembers() {
        Resource<?> v1 = await(a.create(vs("contended", "one.example.com")));
        String rv1 = v1.metadata().resourceVersion();
        StoreException exists = assertThrows(StoreException.class, () -> await(b.create(vs("contended", "x.example.com"))));
        assertEquals(StoreException.Reason.ALREADY_EXISTS, exists.reason());

        Resource<?> v2 = await(b.replace(vs("contended", "two.example.com"), rv1));
        assertEquals(2L, v2.metadata().generation());
        assertTrue(!rv1.equals(v2.metadata().resourceVersion()));

        // A still holds rv1: stale on every member
        StoreException stale = assertThrows(StoreException.class,
                () -> await(a.replace(vs("contended", "three.example.com"), rv1)));
        assertEquals(StoreException.Reason.CONFLICT, stale.reason());
        StoreException staleDelete = assertThrows(StoreException.class, () -> await(a.delete(v2.key(), rv1)));
        assertEquals(StoreException.Reason.CONFLICT, staleDelete.reason());

        // racing writers on both members with the same precondition: exactly one wins
        String rv2 = v2.metadata().resourceVersion();
        List<Future<Resource<?>>> racing = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            HazelcastResourceStore s = i % 2 == 0 ? a : b;
            racing.add(s.replace(vs("contended", "race" + i + ".example.com"), rv2));
        }
        int won = 0;
        for (Future<Resource<?>> f : racing) {
            try {
                await(f);
                won++;
            } catch (StoreException e) {
                assertEquals(StoreException.Reason.CONFLICT, e.reason());
            }
        }
        assertEquals(1, won, "exactly one of the racing replaces may win");
        Resource<?> last = await(a.get(v2.key()));
        assertEquals(3L, last.metadata().generation());
        assertEquals(v1.metadata().creationTimestamp(), last.metadata().creationTimestamp());

        StoreException missing = assertThrows(StoreException.class,
                () -> await(b.replace(vs("absent", "a.example.com"), null)));
        assertEquals(StoreException.Reason.NOT_FOUND, missing.reason());
        await(a.delete(v2.key(), null));
    }

    @Test
    void replicasReportWhatTheyApplied() throws Exception {
        ReplicaRegistry ra = new ReplicaRegistry(vertx, hzA);
        ReplicaRegistry rb = new ReplicaRegistry(vertx, hzB);
        try {
            Instant at = Instant.parse("2026-11-26T10:00:00Z");
            ra.report(7, "abc", at);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            List<ReplicaState> seen = await(rb.replicas());
            while (seen.stream().noneMatch(s -> s.appliedVersion() == 7) && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                seen = await(rb.replicas());
            }
            assertEquals(2, seen.size());
            assertTrue(seen.get(0).local());
            ReplicaState fromA = seen.get(1);
            assertEquals(hzA.getCluster().getLocalMember().getUuid().toString(), fromA.id());
            assertEquals(7, fromA.appliedVersion());
            assertEquals("abc", fromA.appliedHash());
            assertEquals(at, fromA.appliedAt());
            assertTrue(fromA.address().startsWith("127.0.0.1:"), fromA.address());
        } finally {
            ra.close();
            rb.close();
        }
    }

    @Test
    void losingAMemberLosesNothingAndANewMemberGetsEverything() throws Exception {
        String name = "loss-test-" + UUID.randomUUID();
        int[] ports = freePorts(3);
        List<HazelcastInstance> pair = startAll(name, ports[0], ports[1]);
        HazelcastInstance c = null;
        try {
            HazelcastResourceStore first = new HazelcastResourceStore(vertx, pair.get(0));
            List<ResourceKey> keys = new ArrayList<>();
            for (int i = 0; i < 20; i++) { // spread over partitions owned by both members
                keys.add(await(first.create(vs("r" + i, "r" + i + ".example.com"))).key());
            }
            pair.get(0).getLifecycleService().terminate(); // a crash: no graceful migration
            HazelcastResourceStore second = new HazelcastResourceStore(vertx, pair.get(1));
            assertEquals(20, await(second.listAll()).size(), "entries were lost with the member");

            c = HazelcastCluster.start(options(name, ports[2], ports));
            HazelcastResourceStore third = new HazelcastResourceStore(vertx, c);
            assertEquals(2, c.getCluster().getMembers().size());
            List<Resource<?>> onC = await(third.listAll());
            assertEquals(new java.util.HashSet<>(keys), new java.util.HashSet<>(onC.stream().map(Resource::key).toList()));
            assertEquals(20, onC.size());
        } finally {
            pair.get(1).getLifecycleService().terminate();
            if (c != null) {
                c.getLifecycleService().terminate();
            }
        }
    }

    @Test
    void aDeleteLeavesATombstoneReadersDoNotSeeWhichExpiresAndACreateReplaces() throws Exception {
        // a store with one-second tombstones on A; B's store keeps the default
        HazelcastResourceStore shortLived = new HazelcastResourceStore(vertx, hzA, java.time.Clock.systemUTC(),
                java.time.Duration.ofSeconds(1));
        BlockingQueue<StoreEvent> onB = new LinkedBlockingQueue<>();
        com.hazelcast.map.IMap<String, String> raw = hzB.getMap(HazelcastResourceStore.RESOURCES);
        try (var reg = b.addListener(onB::add)) {
            Resource<?> created = await(shortLived.create(vs("tomb", "tomb.v1.example.com")));
            String k = created.key().toString();
            assertEquals(StoreEvent.Type.ADDED, next(onB, "tomb").type());
            // the tombstone is seen as the entry's update event, not by reading the map afterwards: with a
            // one-second lifetime it may already have expired when a loaded machine gets to the read
            BlockingQueue<String> writes = new LinkedBlockingQueue<>();
            java.util.UUID watch = raw.addEntryListener(
                    (com.hazelcast.map.listener.EntryUpdatedListener<String, String>) e -> writes.add(e.getValue()),
                    k, true);
            try {
                await(shortLived.delete(created.key(), created.metadata().resourceVersion()));
                String written = writes.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                assertTrue(StoredEntry.isTombstone(written), "the delete left no tombstone: " + written);
            } finally {
                raw.removeEntryListener(watch);
            }
            StoreEvent deleted = next(onB, "tomb");
            assertEquals(StoreEvent.Type.DELETED, deleted.type());
            assertEquals(created.metadata(), deleted.resource().metadata());
            assertNull(await(b.get(created.key())));
            assertTrue(await(b.listAll()).stream().noneMatch(r -> r.name().equals("tomb")));
            assertTrue(await(b.list(Kind.VIRTUAL_SERVICE, "default")).stream().noneMatch(r -> r.name().equals("tomb")));
            assertEquals(StoreException.Reason.NOT_FOUND, assertThrows(StoreException.class,
                    () -> await(b.replace(vs("tomb", "x.example.com"), null))).reason());
            assertEquals(StoreException.Reason.NOT_FOUND, assertThrows(StoreException.class,
                    () -> await(b.delete(created.key(), null))).reason());

            Resource<?> again = await(b.create(vs("tomb", "tomb.v2.example.com")));
            assertEquals(1L, again.metadata().generation());
            StoreEvent readded = next(onB, "tomb");
            assertEquals(StoreEvent.Type.ADDED, readded.type());
            assertNull(readded.previous());

            // another tombstone written after the re-create expires; the re-created resource did not inherit the
            // first tombstone's one-second expiry
            Resource<?> other = await(shortLived.create(vs("tomb-2", "tomb-2.example.com")));
            await(shortLived.delete(other.key(), null));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (raw.containsKey(other.key().toString())) {
                assertTrue(System.nanoTime() < deadline, "the tombstone of tomb-2 did not expire");
                TimeUnit.MILLISECONDS.sleep(100); // polling interval of a bounded wait
            }
            assertEquals(again.metadata(), await(a.get(again.key())).metadata());
            await(a.delete(again.key(), null));
        } finally {
            shortLived.close();
        }
    }

    private static StoreEvent next(BlockingQueue<StoreEvent> q, String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            StoreEvent e = q.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && e.key().name().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no event for " + name + " within " + WAIT_SECONDS + "s");
    }
}

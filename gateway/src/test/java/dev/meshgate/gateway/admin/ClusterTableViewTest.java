package dev.meshgate.gateway.admin;

import dev.meshgate.gateway.route.ClusterKey;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.ClusterPolicy;
import dev.meshgate.gateway.upstream.cluster.ClusterStats;
import dev.meshgate.gateway.upstream.cluster.ClusterTable;
import dev.meshgate.gateway.upstream.cluster.Host;
import dev.meshgate.gateway.upstream.cluster.LbPolicy;
import dev.meshgate.gateway.upstream.cluster.OutlierDetector;
import dev.meshgate.gateway.upstream.cluster.OutlierPolicy;
import dev.meshgate.gateway.upstream.cluster.PoolLimits;
import dev.meshgate.gateway.upstream.cluster.UpstreamProtocol;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /clusters} reports the live pool usage and outlier ejections the upstream side counts. */
class ClusterTableViewTest {

    @Test
    void poolUsageAndEjectionsFromTheLiveCounters() throws Exception {
        OutlierPolicy outlier = new OutlierPolicy(1, 0, false, 0, Duration.ofSeconds(10), Duration.ofSeconds(30),
                100, 0);
        PoolLimits limits = new PoolLimits(10, 2, 3, PoolLimits.UNLIMITED, 0, null);
        ClusterPolicy policy = new ClusterPolicy(LbPolicy.DEFAULT, ClusterPolicy.DEFAULT_CONNECT_TIMEOUT,
                ClusterPolicy.DEFAULT_IDLE_TIMEOUT, limits, outlier, null);
        Host bad = new Host("10.0.0.1", 8080, 1, Map.of(), null);
        Host good = new Host("10.0.0.2", 8080, 1, Map.of("version", "v1"), null);
        ClusterKey key = new ClusterKey("reviews.default.svc.cluster.local", null, 9080);
        Cluster reviews = Cluster.build(key, "outbound|9080||reviews.default.svc.cluster.local",
                UpstreamProtocol.HTTP1, policy, List.of(bad, good), new ClusterStats());
        ClusterKey plainKey = new ClusterKey("plain.default.svc.cluster.local", null, 80);
        Cluster plain = Cluster.build(plainKey, "outbound|80||plain.default.svc.cluster.local",
                UpstreamProtocol.HTTP1, ClusterPolicy.DEFAULT, List.of(new Host("10.0.0.3", 80, 1, null, null)),
                null);

        ClusterStats st = reviews.stats();
        for (int i = 0; i < 3; i++) {
            assertTrue(st.tryAcquire(limits.maxRequests()));
        }
        assertFalse(st.tryAcquire(limits.maxRequests()), "the limit is reached");
        assertNotNull(st.enqueue(limits.maxPendingRequests(), limits.maxRequests(), () -> { }));
        st.overflows().increment();
        st.overflows().increment();
        st.retryOverflows().increment();
        assertTrue(st.tryAcquireConnection(limits.maxConnections()), "one L4 connection open");
        OutlierDetector.onResponse(reviews, bad, 503); // consecutive5xxErrors: 1 ejects it

        Map<ClusterKey, Cluster> map = new LinkedHashMap<>();
        map.put(key, reviews);
        map.put(plainKey, plain);
        JsonObject json = new ClusterTableView(() -> new ClusterTable(map)).render()
                .toCompletionStage().toCompletableFuture().get();
        JsonArray clusters = json.getJsonArray("clusters");
        assertEquals(2, clusters.size());

        JsonObject c = clusters.getJsonObject(1);
        assertEquals("outbound|9080||reviews.default.svc.cluster.local", c.getString("name"));
        JsonObject pool = c.getJsonObject("pool");
        assertEquals(3, pool.getInteger("activeRequests"));
        assertEquals(1, pool.getInteger("pendingRequests"));
        assertEquals(1, pool.getInteger("activeConnections"));
        assertEquals(2L, pool.getLong("overflows"));
        assertEquals(1L, pool.getLong("retryOverflows"));
        assertNull(pool.getJsonObject("limits").getJsonObject("retryBudget"), "no retryBudget in the rule");
        assertEquals(3, pool.getJsonObject("limits").getInteger("maxRequests"));
        assertEquals(2, pool.getJsonObject("limits").getInteger("maxPendingRequests"));
        assertNull(pool.getJsonObject("limits").getInteger("maxRetries"), "unlimited");
        JsonObject od = c.getJsonObject("outlierDetection");
        assertTrue(od.getBoolean("enabled"));
        assertEquals(1, od.getInteger("ejectedHosts"));
        assertEquals(1L, od.getLong("ejectionsTotal"));
        JsonObject e0 = c.getJsonArray("endpoints").getJsonObject(0);
        assertEquals("10.0.0.1:8080", e0.getString("address"));
        assertTrue(e0.getBoolean("ejected"));
        assertFalse(e0.getBoolean("healthy"));
        assertEquals(1, e0.getInteger("ejectionCount"));
        long left = e0.getLong("ejectedForMs");
        assertTrue(left > 0 && left <= 30_000, "ejected for at most baseEjectionTime: " + left);
        JsonObject e1 = c.getJsonArray("endpoints").getJsonObject(1);
        assertFalse(e1.getBoolean("ejected"));
        assertTrue(e1.getBoolean("healthy"));
        assertEquals(0L, e1.getLong("ejectedForMs"));

        JsonObject p = clusters.getJsonObject(0);
        assertEquals("outbound|80||plain.default.svc.cluster.local", p.getString("name"));
        assertEquals(0, p.getJsonObject("pool").getInteger("activeRequests"));
        assertEquals(0L, p.getJsonObject("pool").getLong("overflows"));
        assertNull(p.getJsonObject("pool").getJsonObject("limits").getInteger("maxRequests"), "unlimited");
        assertFalse(p.getJsonObject("outlierDetection").getBoolean("enabled"));
        assertTrue(p.getJsonArray("endpoints").getJsonObject(0).getBoolean("healthy"));
    }
}

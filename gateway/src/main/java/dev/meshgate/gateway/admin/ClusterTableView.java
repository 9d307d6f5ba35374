package dev.meshgate.gateway.admin;

import dev.meshgate.admin.views.ClustersView;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.ClusterStats;
import dev.meshgate.gateway.upstream.cluster.ClusterTable;
import dev.meshgate.gateway.upstream.cluster.Host;
import dev.meshgate.gateway.upstream.cluster.LbPolicy;
import dev.meshgate.gateway.upstream.cluster.PoolLimits;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code GET /clusters}: every upstream cluster in force, its balancer, protocol, connection-pool usage (requests
 * active and pending, circuit-breaker overflows, against the DestinationRule's limits) and endpoints with their
 * outlier-detection state. Without active health checks (as in Envoy) an endpoint is healthy unless outlier
 * detection ejected it.
 */
public final class ClusterTableView implements ClustersView {

    private final Supplier<ClusterTable> table;

    public ClusterTableView(Supplier<ClusterTable> table) {
        this.table = table;
    }

    @Override
    public Future<JsonObject> render() {
        // single-port services are in the table twice (their port and port 0): show each cluster once
        Map<Cluster, Boolean> seen = new IdentityHashMap<>();
        List<Cluster> clusters = new ArrayList<>();
        for (Cluster c : table.get().clusters().values()) {
            if (seen.put(c, Boolean.TRUE) == null) {
                clusters.add(c);
            }
        }
        clusters.sort(Comparator.comparing(Cluster::name));
        JsonArray out = new JsonArray();
        long now = System.nanoTime();
        for (Cluster c : clusters) {
            JsonArray endpoints = new JsonArray();
            int ejectedHosts = 0;
            for (Host h : c.hosts()) {
                long ejectedFor = h.stats().ejectedForNanos(now);
                boolean ejected = ejectedFor > 0;
                ejectedHosts += ejected ? 1 : 0;
                endpoints.add(new JsonObject().put("address", h.hostPort()).put("weight", h.weight())
                        .put("labels", new JsonObject(new java.util.LinkedHashMap<String, Object>(h.labels())))
                        .put("healthy", !ejected).put("ejected", ejected)
                        .put("ejectedForMs", TimeUnit.NANOSECONDS.toMillis(ejectedFor))
                        .put("ejectionCount", h.stats().ejectionCount())
                        .put("activeRequests", h.stats().activeRequests())
                        .put("priority", priority(c, h)));
            }
            ClusterStats st = c.stats();
            out.add(new JsonObject().put("name", c.name()).put("protocol", c.protocol().name())
                    .put("lb", lb(c.policy().loadBalancer()))
                    .put("connectTimeout", c.policy().connectTimeout().toString())
                    .put("activeRequests", st.activeRequests().get())
                    .put("activeRetries", st.activeRetries().get())
                    .put("pool", pool(st, c.policy().pool()))
                    .put("outlierDetection", new JsonObject().put("enabled", c.policy().outlier() != null)
                            .put("ejectedHosts", ejectedHosts).put("ejectionsTotal", st.ejectionsTotal().sum()))
                    .put("endpoints", endpoints));
        }
        return Future.succeededFuture(new JsonObject().put("clusters", out));
    }

    /**
     * The endpoint's Envoy priority level under locality load balancing (0 without it), or null when the
     * locality plan gives it no traffic (a locality distribute does not list).
     */
    private static Integer priority(Cluster c, Host h) {
        if (c.loadBalancer() instanceof dev.meshgate.gateway.upstream.lb.PriorityLb p) {
            int level = p.plan().priorityOf(h);
            return level < 0 ? null : level;
        }
        return 0;
    }

    /** Live usage next to the limits it counts against (null limit = unlimited). */
    private static JsonObject pool(ClusterStats st, PoolLimits limits) {
        PoolLimits l = limits == null ? PoolLimits.DEFAULT : limits;
        return new JsonObject().put("activeRequests", st.activeRequests().get())
                .put("pendingRequests", st.pendingRequests().get())
                .put("activeConnections", st.activeConnections())
                .put("activeRetries", st.activeRetries().get())
                .put("overflows", st.overflows().sum())
                .put("retryOverflows", st.retryOverflows().sum())
                .put("limits", new JsonObject().put("maxConnections", limit(l.maxConnections()))
                        .put("maxPendingRequests", limit(l.maxPendingRequests()))
                        .put("maxRequests", limit(l.maxRequests()))
                        .put("maxRetries", limit(l.maxRetries()))
                        .put("retryBudget", l.retryBudget() == null ? null : new JsonObject()
                                .put("percent", l.retryBudget().percent())
                                .put("minRetryConcurrency", l.retryBudget().minRetryConcurrency())));
    }

    private static Integer limit(int v) {
        return v == PoolLimits.UNLIMITED ? null : v;
    }

    private static JsonObject lb(LbPolicy p) {
        if (p instanceof LbPolicy.Simple s) {
            return new JsonObject().put("simple", s.kind().name());
        }
        if (p instanceof LbPolicy.ConsistentHash ch) {
            return new JsonObject().put("consistentHash", ch.maglev() ? "MAGLEV" : "RING_HASH")
                    .put("tableSize", ch.tableSize()).put("hashPolicy", String.valueOf(ch.hashPolicy()));
        }
        return new JsonObject().put("other", String.valueOf(p));
    }
}

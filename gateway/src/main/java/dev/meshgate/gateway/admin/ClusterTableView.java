package dev.meshgate.gateway.admin;

import dev.meshgate.admin.views.ClustersView;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.ClusterTable;
import dev.meshgate.gateway.upstream.cluster.Host;
import dev.meshgate.gateway.upstream.cluster.LbPolicy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /clusters}: every upstream cluster in force, its balancer, protocol, live request counters and
 * endpoints. Health is reported as Envoy does without active health checks: an endpoint is healthy unless
 * something marked it otherwise (no outlier state is tracked yet, so {@code ejected} is always false).
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
        for (Cluster c : clusters) {
            JsonArray endpoints = new JsonArray();
            for (Host h : c.hosts()) {
                endpoints.add(new JsonObject().put("address", h.hostPort()).put("weight", h.weight())
                        .put("labels", new JsonObject(new java.util.LinkedHashMap<String, Object>(h.labels())))
                        .put("healthy", true).put("ejected", false)
                        .put("activeRequests", h.stats().activeRequests()));
            }
            out.add(new JsonObject().put("name", c.name()).put("protocol", c.protocol().name())
                    .put("lb", lb(c.policy().loadBalancer()))
                    .put("connectTimeout", c.policy().connectTimeout().toString())
                    .put("activeRequests", c.stats().activeRequests().get())
                    .put("activeRetries", c.stats().activeRetries().get())
                    .put("endpoints", endpoints));
        }
        return Future.succeededFuture(new JsonObject().put("clusters", out));
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

package dev.meshgate.gateway.observe;

import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.ClusterTable;
import dev.meshgate.gateway.upstream.cluster.Host;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-cluster and per-endpoint upstream gauges: {@code envoy_cluster_upstream_rq_active} and
 * {@code envoy_cluster_upstream_rq_retry_active} under Envoy's names (Istio's 15090 exposes them too),
 * {@code meshgate_upstream_endpoints} (Envoy's membership_total, whose {@code _total} suffix the Prometheus
 * client does not allow on a gauge), all with {@code cluster_name}, and {@code meshgate_upstream_host_rq_active}
 * and {@code meshgate_upstream_host_healthy} (0 while ejected by outlier detection) with {@code cluster_name} and
 * {@code host}, and {@code meshgate_upstream_tcp_connections_active} (connections of TCP and TLS routes, which
 * {@code tcp.maxConnections} limits) with {@code cluster_name}. Re-registered for each new
 * cluster table (after a snapshot); the gauges read the live counters, so nothing is done per request.
 */
public final class UpstreamMetrics {

    private final MultiGauge membership;
    private final MultiGauge active;
    private final MultiGauge retries;
    private final MultiGauge hostActive;
    private final MultiGauge hostHealthy;
    private final MultiGauge tcpActive;

    public UpstreamMetrics(MeterRegistry registry) {
        membership = MultiGauge.builder("meshgate_upstream_endpoints")
                .description("Endpoints in the cluster").register(registry);
        active = MultiGauge.builder("envoy_cluster_upstream_rq_active")
                .description("Requests in flight to the cluster").register(registry);
        retries = MultiGauge.builder("envoy_cluster_upstream_rq_retry_active")
                .description("Retries in flight to the cluster").register(registry);
        hostActive = MultiGauge.builder("meshgate_upstream_host_rq_active")
                .description("Requests in flight to one endpoint").register(registry);
        hostHealthy = MultiGauge.builder("meshgate_upstream_host_healthy")
                .description("1 while the endpoint takes traffic, 0 while outlier detection ejects it")
                .register(registry);
        tcpActive = MultiGauge.builder("meshgate_upstream_tcp_connections_active")
                .description("Upstream connections open for TCP and TLS routes (limited by tcp.maxConnections)")
                .register(registry);
    }

    /** Replaces the gauges with those of {@code table}; clusters and hosts gone from it disappear. */
    public void update(ClusterTable table) {
        List<MultiGauge.Row<?>> m = new ArrayList<>();
        List<MultiGauge.Row<?>> a = new ArrayList<>();
        List<MultiGauge.Row<?>> r = new ArrayList<>();
        List<MultiGauge.Row<?>> h = new ArrayList<>();
        List<MultiGauge.Row<?>> healthy = new ArrayList<>();
        List<MultiGauge.Row<?>> tcp = new ArrayList<>();
        for (Cluster c : table.clusters().values()) {
            Tags tags = Tags.of("cluster_name", c.name());
            m.add(MultiGauge.Row.of(tags, c.hosts().size()));
            a.add(MultiGauge.Row.of(tags, c.stats(), s -> s.activeRequests().get()));
            r.add(MultiGauge.Row.of(tags, c.stats(), s -> s.activeRetries().get()));
            tcp.add(MultiGauge.Row.of(tags, c.stats(), s -> s.activeConnections()));
            for (Host host : c.hosts()) {
                h.add(MultiGauge.Row.of(tags.and("host", host.hostPort()), host.stats(), s -> s.activeRequests()));
                healthy.add(MultiGauge.Row.of(tags.and("host", host.hostPort()), host.stats(),
                        s -> s.ejected(System.nanoTime()) ? 0 : 1));
            }
        }
        membership.register(m, true);
        active.register(a, true);
        retries.register(r, true);
        hostActive.register(h, true);
        hostHealthy.register(healthy, true);
        tcpActive.register(tcp, true);
    }
}

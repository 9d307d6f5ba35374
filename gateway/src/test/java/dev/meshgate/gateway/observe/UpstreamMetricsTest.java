package dev.meshgate.gateway.observe;

import dev.meshgate.gateway.testing.TestConfig;
import dev.meshgate.gateway.upstream.UpstreamManager;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UpstreamMetricsTest {

    static final String SE = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: backend, namespace: istio-system}
            spec:
              hosts: [backend.internal]
              location: MESH_EXTERNAL
              resolution: STATIC
              ports: [{number: 8080, name: http, protocol: HTTP}]
              endpoints:
              - address: 127.0.0.1
              - address: 127.0.0.2
            """;

    @Test
    void clusterAndEndpointGaugesFollowTheTable() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            UpstreamMetrics um = new UpstreamMetrics(registry);
            UpstreamManager upstreams = new UpstreamManager(vertx);
            upstreams.apply(TestConfig.snapshot(SE));
            um.update(upstreams.clusters());
            Cluster c = upstreams.clusters().clusters().values().stream()
                    .filter(x -> x.name().endsWith("|backend.internal")).findFirst().orElseThrow();
            c.hosts().get(0).stats().requestStarted();
            c.stats().activeRequests().incrementAndGet();

            PromText prom = PromText.parse(registry.scrape());
            Map<String, String> cl = Map.of("cluster_name", c.name());
            assertEquals(2, prom.sum("meshgate_upstream_endpoints", cl));
            assertEquals(1, prom.sum("envoy_cluster_upstream_rq_active", cl));
            assertEquals(0, prom.sum("envoy_cluster_upstream_rq_retry_active", cl));
            assertEquals(1, prom.sum("meshgate_upstream_host_rq_active",
                    Map.of("cluster_name", c.name(), "host", c.hosts().get(0).hostPort())));
            assertEquals(2, prom.series("meshgate_upstream_host_rq_active").size());

            upstreams.apply(TestConfig.snapshot(TestConfig.gateway()));
            um.update(upstreams.clusters());
            prom = PromText.parse(registry.scrape());
            assertEquals(0, prom.series("meshgate_upstream_endpoints").size());
            assertEquals(0, prom.series("meshgate_upstream_host_rq_active").size());
            MixServer.await(upstreams.close());
        } finally {
            MixServer.await(vertx.close());
        }
    }

    @Test
    void anEjectedEndpointReportsUnhealthy() {
        dev.meshgate.gateway.upstream.cluster.OutlierPolicy outlier = new dev.meshgate.gateway.upstream.cluster
                .OutlierPolicy(1, 0, false, 0, java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(30), 100, 0);
        dev.meshgate.gateway.upstream.cluster.ClusterPolicy policy = new dev.meshgate.gateway.upstream.cluster
                .ClusterPolicy(dev.meshgate.gateway.upstream.cluster.LbPolicy.DEFAULT,
                dev.meshgate.gateway.upstream.cluster.ClusterPolicy.DEFAULT_CONNECT_TIMEOUT,
                dev.meshgate.gateway.upstream.cluster.ClusterPolicy.DEFAULT_IDLE_TIMEOUT,
                dev.meshgate.gateway.upstream.cluster.PoolLimits.DEFAULT, outlier, null);
        dev.meshgate.gateway.upstream.cluster.Host bad = new dev.meshgate.gateway.upstream.cluster.Host(
                "10.0.0.1", 8080, 1, Map.of(), null);
        dev.meshgate.gateway.upstream.cluster.Host good = new dev.meshgate.gateway.upstream.cluster.Host(
                "10.0.0.2", 8080, 1, Map.of(), null);
        dev.meshgate.gateway.route.ClusterKey key = new dev.meshgate.gateway.route.ClusterKey("r.default.svc", null, 80);
        Cluster c = Cluster.build(key, "outbound|80||r.default.svc",
                dev.meshgate.gateway.upstream.cluster.UpstreamProtocol.HTTP1, policy, java.util.List.of(bad, good),
                new dev.meshgate.gateway.upstream.cluster.ClusterStats());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        UpstreamMetrics um = new UpstreamMetrics(registry);
        um.update(new dev.meshgate.gateway.upstream.cluster.ClusterTable(Map.of(key, c)));

        Map<String, String> badHost = Map.of("cluster_name", c.name(), "host", bad.hostPort());
        Map<String, String> goodHost = Map.of("cluster_name", c.name(), "host", good.hostPort());
        PromText prom = PromText.parse(registry.scrape());
        assertEquals(1, prom.sum("meshgate_upstream_host_healthy", badHost));
        dev.meshgate.gateway.upstream.cluster.OutlierDetector.onResponse(c, bad, 503); // consecutive5xxErrors: 1
        prom = PromText.parse(registry.scrape());
        assertEquals(0, prom.sum("meshgate_upstream_host_healthy", badHost), "ejected");
        assertEquals(1, prom.sum("meshgate_upstream_host_healthy", goodHost));
    }
}

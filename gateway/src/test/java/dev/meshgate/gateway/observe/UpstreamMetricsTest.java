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
}

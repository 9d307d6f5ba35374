package dev.meshgate.gateway.kubernetes;

import dev.meshgate.config.source.kubernetes.ServiceRegistryTranslator;
import dev.meshgate.gateway.admin.ClusterTableView;
import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.testing.Backends;
import dev.meshgate.gateway.testing.GatewayHarness;
import dev.meshgate.gateway.upstream.UpstreamManager;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Endpoint locality from the Kubernetes registry: the Node's region/zone labels (Nodes in the mock API), else the
 * EndpointSlice endpoint's zone, and the Pod's {@code istio-locality} label, drive Istio's failover priorities for a
 * gateway started with {@code --locality us-east/zone-a}: the same zone first, the region's other zone next, the
 * other region last. Real requests to real backends on 127.0.0.1 follow the priorities.
 */
class KubernetesLocalityE2ETest {

    MockCluster cluster;
    GatewayHarness gw;
    Backends backends;

    @BeforeEach
    void setUp() {
        cluster = new MockCluster();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        backends = new Backends(vertx);
        GatewayOptions opts = GatewayHarness.testOptions().withLocality("us-east/zone-a");
        gw = GatewayHarness.withRuntime(vertx, GatewayRuntime.create(vertx, opts), opts);
    }

    @AfterEach
    void tearDown() {
        cluster.close();
        gw.close();
    }

    void node(String name, String region, String zone) {
        cluster.client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).withLabels(Map.of(
                ServiceRegistryTranslator.REGION_LABEL, region, ServiceRegistryTranslator.ZONE_LABEL, zone))
                .endMetadata().build()).create();
    }

    /** A Pod and its EndpointSlice, the endpoint on {@code nodeName} (may be null) with the slice {@code zone}. */
    void workload(String version, String nodeName, String zone, Map<String, String> extraLabels) {
        Pod pod = MockCluster.pod("reviews-" + version, "reviews", version);
        Map<String, String> labels = new HashMap<>(pod.getMetadata().getLabels());
        labels.putAll(extraLabels);
        pod.getMetadata().setLabels(labels);
        cluster.client.pods().resource(pod).create();
        EndpointSlice slice = MockCluster.slice("reviews", version, backends.start("reviews", version), true);
        slice.getEndpoints().get(0).setNodeName(nodeName);
        slice.getEndpoints().get(0).setZone(zone);
        cluster.client.discovery().v1().endpointSlices().resource(slice).create();
    }

    Map<String, Integer> priorities() {
        UpstreamManager u = (UpstreamManager) gw.runtime.forwarder();
        JsonArray clusters = GatewayHarness.await(new ClusterTableView(u::clusters).render()).getJsonArray("clusters");
        Map<String, Integer> out = new TreeMap<>();
        for (int c = 0; c < clusters.size(); c++) {
            JsonArray endpoints = clusters.getJsonObject(c).getJsonArray("endpoints");
            for (int i = 0; i < endpoints.size(); i++) {
                JsonObject e = endpoints.getJsonObject(i);
                out.put(e.getJsonObject("labels").getString("version"), e.getInteger("priority"));
            }
        }
        return out;
    }

    @Test
    void failoverPrioritiesFollowNodeZoneSliceZoneAndThePodLabel() {
        node("node-a", "us-east", "zone-a");
        node("node-b", "us-east", "zone-b");
        workload("a", "node-a", "zone-a", Map.of());                      // Node: us-east/zone-a
        workload("b", "node-b", "zone-b", Map.of());                      // Node: us-east/zone-b
        workload("w", null, "zone-w", Map.of("istio-locality", "us-west.zone-w"));   // Pod label
        workload("z", null, "zone-a", Map.of());                          // no Node: zone only, no region
        cluster.service("reviews", 9080);
        cluster.apply("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*"]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews, namespace: default}
                spec:
                  host: reviews
                  trafficPolicy:
                    outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 30s}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews, namespace: default}
                spec:
                  hosts: ["*"]
                  gateways: [istio-system/gw]
                  http:
                  - route:
                    - destination: {host: reviews}
                """);
        cluster.follow(gw.runtime);

        // Istio's default failover: P0 same region+zone, P1 same region, P2 other regions (the zone-only endpoint
        // has no region, so it is not in the gateway's region)
        assertEquals(Map.of("a", 0, "b", 1, "w", 2, "z", 2), priorities());
        for (int i = 0; i < 10; i++) {
            GatewayHarness.Resp r = gw.get("reviews.example", "/");
            assertEquals(200, r.status(), r.body());
            assertEquals("reviews-a", r.body(), "the gateway's own zone takes all traffic while healthy");
        }

        // the local endpoint goes away: its region's other zone takes over
        cluster.client.discovery().v1().endpointSlices().inNamespace("default").withName("reviews-a").delete();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (priorities().containsKey("a") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(Map.of("b", 0, "w", 1, "z", 1), priorities(), "priorities recomputed without the local zone");
        for (int i = 0; i < 10; i++) {
            assertEquals("reviews-b", gw.get("reviews.example", "/").body());
        }
    }
}

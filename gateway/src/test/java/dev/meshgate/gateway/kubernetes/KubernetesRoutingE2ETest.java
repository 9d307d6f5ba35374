package dev.meshgate.gateway.kubernetes;

import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.testing.Backends;
import dev.meshgate.gateway.testing.GatewayHarness;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 8's first test: Istio resources, a Service, its EndpointSlices and Pods applied through a (mock)
 * Kubernetes API server on 127.0.0.1 drive the real gateway runtime, checked with real HTTP requests to real
 * backends. Subsets select the backends by their Pods' labels, through the synthetic ServiceEntry.
 */
class KubernetesRoutingE2ETest {

    MockCluster cluster;
    GatewayHarness gw;
    Backends backends;

    @BeforeEach
    void setUp() {
        cluster = new MockCluster();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        backends = new Backends(vertx);
        GatewayOptions opts = GatewayHarness.testOptions();
        gw = GatewayHarness.withRuntime(vertx, GatewayRuntime.create(vertx, opts), opts);
    }

    @AfterEach
    void tearDown() {
        cluster.close();
        gw.close();
    }

    @Test
    void routesFollowTheApiServer() throws Exception {
        int v1 = backends.start("reviews", "v1");
        int v2 = backends.start("reviews", "v2");
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
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                """);
        cluster.apply(vs("v1"));
        cluster.service("reviews", 9080);
        // both backends listen on 127.0.0.1, so each gets its own slice with its own port
        cluster.workload("reviews", "v1", v1);
        cluster.workload("reviews", "v2", v2);
        cluster.follow(gw.runtime);

        assertEquals("reviews-v1", awaitBody(b -> b.equals("reviews-v1")));

        cluster.apply(vs("v2"));                           // update a VirtualService
        assertEquals("reviews-v2", awaitBody(b -> b.equals("reviews-v2")));

        // the v2 Pod goes unready: its slice loses the endpoint, the subset has none, Istio answers 503
        cluster.client.discovery().v1().endpointSlices().resource(MockCluster.slice("reviews", "v2", v2, false))
                .update();
        awaitStatus(503);

        // relabel the v1 Pod as v2: subset v2 selects it now
        cluster.client.pods().resource(MockCluster.pod("reviews-v1", "reviews", "v2")).update();
        assertEquals("reviews-v1", awaitBody(b -> b.equals("reviews-v1")));

        cluster.delete("networking.istio.io/v1", "VirtualService", "default", "reviews");
        awaitStatus(404);
    }

    static String vs(String subset) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews, namespace: default}
                spec:
                  hosts: [reviews.example.com]
                  gateways: [istio-system/gw]
                  http:
                  - route:
                    - destination: {host: reviews, subset: %s}
                """.formatted(subset);
    }

    /** Bounded polling with real requests until the body matches (config changes arrive asynchronously). */
    String awaitBody(Predicate<String> p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        GatewayHarness.Resp last = null;
        while (System.nanoTime() < deadline) {
            last = gw.get("reviews.example.com", "/reviews/1");
            if (last.status() == 200 && p.test(last.body())) {
                return last.body();
            }
            Thread.sleep(20);
        }
        fail("no matching response; last: " + (last == null ? null : last.status() + " " + last.body()));
        return null;
    }

    void awaitStatus(int status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = gw.get("reviews.example.com", "/reviews/1").status();
            if (last == status) {
                return;
            }
            Thread.sleep(20);
        }
        fail("expected status " + status + ", last " + last);
    }
}

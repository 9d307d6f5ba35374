package dev.meshgate.gateway.kubernetes;

import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.testing.Backends;
import dev.meshgate.gateway.testing.GatewayHarness;
import dev.meshgate.gateway.testing.GatewayHarness.Resp;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Istio's bookinfo samples from the corpus, applied through the (mock) API server unmodified except for
 * {@code gateways: [bookinfo-gateway]} where a sample targets only the mesh, with Services, Pods and EndpointSlices
 * for the in-process backends: the same routing as the data-plane bookinfo test, with Kubernetes as the registry.
 */
class KubernetesBookinfoE2ETest {

    private static final String NET = "samples/bookinfo/networking/";
    private static final String REVIEWS = "reviews.default.svc.cluster.local";
    private static final String RATINGS = "ratings.default.svc.cluster.local";

    private static MockCluster cluster;
    private static GatewayHarness gw;

    static Path corpus() {
        String prop = System.getProperty("meshgate.corpus.dir");
        Path p = prop != null && Files.isDirectory(Path.of(prop)) ? Path.of(prop) : Path.of("/work/shared/istio-corpus");
        assertTrue(Files.isDirectory(p), "corpus not found: set -Dmeshgate.corpus.dir");
        return p;
    }

    static String sample(String file) {
        try {
            return Files.readString(corpus().resolve(NET + file));
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    static String atGateway(String file) {
        String s = sample(file);
        assertTrue(s.contains("spec:\n  hosts:"), file);
        return s.replace("spec:\n  hosts:", "spec:\n  gateways: [bookinfo-gateway]\n  hosts:");
    }

    @BeforeAll
    static void start() {
        cluster = new MockCluster();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        Backends backends = new Backends(vertx);
        GatewayOptions opts = GatewayHarness.testOptions();
        gw = GatewayHarness.withRuntime(vertx, GatewayRuntime.create(vertx, opts), opts);
        String[][] workloads = {{"productpage", "v1"}, {"reviews", "v1"}, {"reviews", "v2"}, {"reviews", "v3"},
                {"ratings", "v1"}};
        for (String app : new String[] {"productpage", "reviews", "ratings"}) {
            cluster.service(app, 9080);
        }
        for (String[] w : workloads) {
            cluster.workload(w[0], w[1], backends.start(w[0], w[1]));
        }
        cluster.apply(sample("bookinfo-gateway.yaml"));
        cluster.apply(sample("destination-rule-all.yaml"));
        cluster.follow(gw.runtime);
    }

    @AfterAll
    static void stop() {
        cluster.close();
        gw.close();
    }

    private static Resp get(String host, String path, String... headers) {
        return gw.send(gw.h1, HttpMethod.GET, gw.runtime.localPort(8080), host, path, null, headers);
    }

    /** Bounded wait until the configuration applied through the API shows in the answers. */
    private static void awaitAnswer(String host, String path, String expectedBody, String... headers)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Resp last = null;
        while (System.nanoTime() < deadline) {
            last = get(host, path, headers);
            if (last.body().equals(expectedBody)) {
                return;
            }
            Thread.sleep(20);
        }
        fail("expected " + expectedBody + " from " + host + path + ", last " + last.status() + " " + last.body());
    }

    @Test
    void productpageThroughTheBookinfoGateway() {
        Resp r = get("bookinfo.example", "/productpage");
        assertEquals(200, r.status());
        assertEquals("productpage-v1", r.body());
        assertEquals(404, get("bookinfo.example", "/not-routed").status());
    }

    @Test
    void jasonReachesV2AndRatingsAbortForJason() throws Exception {
        cluster.apply(atGateway("virtual-service-reviews-test-v2.yaml"));
        awaitAnswer(REVIEWS, "/reviews/1", "reviews-v2", "end-user", "jason");
        for (int i = 0; i < 50; i++) {
            assertEquals("reviews-v2", get(REVIEWS, "/reviews/1", "end-user", "jason").body());
            assertEquals("reviews-v1", get(REVIEWS, "/reviews/1", "end-user", "alice").body());
        }

        cluster.apply(atGateway("virtual-service-ratings-test-abort.yaml"));
        awaitAnswer(RATINGS, "/ratings/0", "fault filter abort", "end-user", "jason");
        Resp r = get(RATINGS, "/ratings/0", "end-user", "jason");
        assertEquals(500, r.status());
        assertEquals("ratings-v1", get(RATINGS, "/ratings/0", "end-user", "bob").body());
    }

    @Test
    void reviewsV3ByLabelAfterTheV3SampleIsApplied() throws Exception {
        cluster.apply(atGateway("virtual-service-reviews-v3.yaml"));
        awaitAnswer(REVIEWS, "/reviews/2", "reviews-v3");
        for (int i = 0; i < 20; i++) {
            assertEquals("reviews-v3", get(REVIEWS, "/reviews/2").body());
        }
    }
}

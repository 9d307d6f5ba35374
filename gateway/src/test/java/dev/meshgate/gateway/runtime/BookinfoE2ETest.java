package dev.meshgate.gateway.runtime;

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
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Istio's bookinfo traffic-management samples, unmodified except for {@code gateways: [bookinfo-gateway]} where a
 * sample targets only the mesh, over the real upstream side and in-process backends.
 */
class BookinfoE2ETest {

    private static final String NET = "samples/bookinfo/networking/";
    private static final String REVIEWS = "reviews.default.svc.cluster.local";
    private static final String RATINGS = "ratings.default.svc.cluster.local";

    private static Vertx vertx;
    private static GatewayHarness gw;
    private static Backends backends;
    private static String base;

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

    /** The samples' VirtualServices for reviews/ratings bind to mesh only; bind them to the gateway too. */
    static String atGateway(String file) {
        String s = sample(file);
        assertTrue(s.contains("spec:\n  hosts:"), file);
        return s.replace("spec:\n  hosts:", "spec:\n  gateways: [bookinfo-gateway]\n  hosts:");
    }

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        backends = new Backends(vertx);
        backends.start("productpage", "v1");
        backends.start("reviews", "v1");
        backends.start("reviews", "v2");
        backends.start("reviews", "v3");
        backends.start("ratings", "v1");
        GatewayOptions opts = GatewayHarness.testOptions();
        gw = GatewayHarness.withRuntime(vertx, GatewayRuntime.create(vertx, opts), opts);
        base = String.join("\n---\n", sample("bookinfo-gateway.yaml"), sample("destination-rule-all.yaml"),
                backends.registry("default", "productpage", 9080), backends.registry("default", "reviews", 9080),
                backends.registry("default", "ratings", 9080));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static Resp get(String host, String path, String... headers) {
        return gw.send(gw.h1, HttpMethod.GET, gw.runtime.localPort(8080), host, path, null, headers);
    }

    @Test
    void productpageThroughTheBookinfoGateway() {
        gw.apply(base);
        Resp r = get("bookinfo.example", "/productpage");
        assertEquals(200, r.status());
        assertEquals("productpage-v1", r.body());
        assertEquals(404, get("bookinfo.example", "/not-routed").status());
    }

    @Test
    void reviews80to20SplitOver2000Requests() {
        gw.apply(base, atGateway("virtual-service-reviews-80-20.yaml"));
        int n = 2000;
        int v1 = 0;
        int v2 = 0;
        // curl, 20 transfers in flight over reused connections
        String url = "http://127.0.0.1:" + gw.runtime.localPort(8080) + "/reviews/0";
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "--no-progress-meter", "--parallel", "--parallel-max", "20",
                "-H", "Host: " + REVIEWS, "-w", "%{http_code} %header{x-backend}\\n"));
        for (int i = 0; i < n; i++) {
            // -o is per URL; the body is not needed, the backend's name is in a header
            cmd.add("-o");
            cmd.add("/dev/null");
            cmd.add(url);
        }
        String out;
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out.length() > 300 ? out.substring(0, 300) : out);
        } catch (IOException | InterruptedException e) {
            throw new RuntimeException(e);
        }
        java.util.Map<String, Integer> other = new java.util.TreeMap<>();
        for (String line : out.split("\n")) {
            if (!line.startsWith("200 reviews-v")) {
                other.merge(line, 1, Integer::sum);
            }
            if (line.equals("200 reviews-v1")) {
                v1++;
            } else if (line.equals("200 reviews-v2")) {
                v2++;
            }
        }
        assertEquals(n, v1 + v2, "every request answered by v1 or v2; others: " + other);
        double pct = 100.0 * v2 / n;
        assertTrue(Math.abs(pct - 20.0) <= 3.0, "v2 share " + pct + "% (expected 20 +- 3)");
    }

    @Test
    void jasonAlwaysReachesV2() {
        gw.apply(base, atGateway("virtual-service-reviews-test-v2.yaml"));
        for (int i = 0; i < 100; i++) {
            assertEquals("reviews-v2", get(REVIEWS, "/reviews/1", "end-user", "jason").body());
            assertEquals("reviews-v1", get(REVIEWS, "/reviews/1", "end-user", "alice").body());
        }
        assertEquals("reviews-v1", get(REVIEWS, "/reviews/1").body());
    }

    @Test
    void ratingsAbortForJason() {
        gw.apply(base, atGateway("virtual-service-ratings-test-abort.yaml"));
        for (int i = 0; i < 20; i++) {
            Resp r = get(RATINGS, "/ratings/0", "end-user", "jason");
            assertEquals(500, r.status());
            assertEquals("fault filter abort", r.body());
            assertEquals("ratings-v1", get(RATINGS, "/ratings/0", "end-user", "bob").body());
        }
    }

    @Test
    void ratingsDelayForJason() {
        gw.apply(base, atGateway("virtual-service-ratings-test-delay.yaml"));
        long t0 = System.nanoTime();
        Resp fast = get(RATINGS, "/ratings/0");
        long fastMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("ratings-v1", fast.body());
        assertTrue(fastMs < 7000, "not delayed without end-user: jason");
        t0 = System.nanoTime();
        Resp slow = get(RATINGS, "/ratings/0", "end-user", "jason");
        long slowMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, slow.status());
        assertEquals("ratings-v1", slow.body());
        assertTrue(slowMs >= 7000, "7s fixed delay, took " + slowMs + "ms");
    }

    @Test
    void unknownSubsetIs503NoCluster() {
        gw.apply(base, atGateway("virtual-service-reviews-test-v2.yaml").replace("subset: v2", "subset: v9"));
        Resp r = get(REVIEWS, "/r", "end-user", "jason");
        assertEquals(503, r.status(), "the route points at a cluster that does not exist");
        assertEquals("reviews-v1", get(REVIEWS, "/r").body());
    }
}

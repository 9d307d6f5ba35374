package dev.meshgate.gateway.upstream;

import dev.meshgate.config.model.networking.LoadBalancerSettings;
import dev.meshgate.config.model.networking.OutlierDetection;
import dev.meshgate.config.model.networking.TrafficPolicy;
import dev.meshgate.gateway.exchange.ResponseFlag;
import dev.meshgate.gateway.route.ClusterKey;
import dev.meshgate.gateway.route.RetryPolicy;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.Host;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.meshgate.gateway.upstream.Fixtures.dest;
import static dev.meshgate.gateway.upstream.Fixtures.rule;
import static dev.meshgate.gateway.upstream.Fixtures.snapshot;
import static dev.meshgate.gateway.upstream.Fixtures.staticService;
import static dev.meshgate.gateway.upstream.Harness.await;
import static dev.meshgate.gateway.upstream.Harness.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DestinationRule outlierDetection: real backends, real failures, ejection and return. */
class OutlierDetectionTest {

    private final Harness h = new Harness();
    private final HttpClient client = h.client();

    @AfterEach
    void close() {
        h.close();
    }

    private record Reply(int status, String body) {
    }

    private Reply get() {
        return await(h.onLoop(() -> client.request(new RequestOptions().setURI("/")).compose(req -> req.send())
                .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), b.toString())))));
    }

    private static TrafficPolicy policy(OutlierDetection od) {
        return new TrafficPolicy(new LoadBalancerSettings(LoadBalancerSettings.SimpleLB.ROUND_ROBIN, null, null, null,
                null, null), null, od, null, null, null, null, null);
    }

    private static OutlierDetection od(Integer consecutive5xx, Integer maxEjectionPercent, int minHealthPercent) {
        return new OutlierDetection(0, false, null, null, consecutive5xx, Duration.ofSeconds(1),
                Duration.ofSeconds(1), maxEjectionPercent, minHealthPercent, List.of());
    }

    private Cluster cluster() {
        return h.manager.clusters().find(new ClusterKey("svc.test", "", 80));
    }

    private Host hostOnPort(int port) {
        return cluster().hosts().stream().filter(x -> x.port() == port).findFirst().orElseThrow();
    }

    @Test
    void ejectsOneBadHostOfThreeAndBringsItBack() {
        AtomicBoolean bad = new AtomicBoolean(true);
        AtomicInteger badHits = new AtomicInteger();
        int good1 = h.backend(r -> r.response().end("good"));
        int badPort = h.backend(r -> {
            badHits.incrementAndGet();
            if (bad.get()) {
                r.response().setStatusCode(500).end("bad");
            } else {
                r.response().end("good");
            }
        });
        int good2 = h.backend(r -> r.response().end("good"));
        h.apply(snapshot(staticService("default", "svc.test", good1, badPort, good2),
                rule("default", "od", "svc.test", policy(od(2, 100, 0)))));
        h.route(dest("svc.test"), null, RetryPolicy.NONE);

        int errors = 0;
        for (int i = 0; i < 30 && !hostOnPort(badPort).stats().ejected(System.nanoTime()); i++) {
            if (get().status() == 500) {
                errors++;
            }
        }
        assertTrue(hostOnPort(badPort).stats().ejected(System.nanoTime()), "the bad host is ejected");
        assertEquals(2, errors, "after consecutive5xxErrors=2");
        assertEquals(1, cluster().stats().ejectionsTotal().sum());

        int hitsWhenEjected = badHits.get();
        for (int i = 0; i < 20; i++) {
            assertEquals(200, get().status());
        }
        assertEquals(hitsWhenEjected, badHits.get(), "no traffic to the ejected host");
        assertFalse(hostOnPort(good1).stats().ejected(System.nanoTime()));

        // the host recovers; after baseEjectionTime x 1 it is back in the rotation
        bad.set(false);
        eventually(() -> !hostOnPort(badPort).stats().ejected(System.nanoTime()), "the ejection to end");
        for (int i = 0; i < 6; i++) {
            assertEquals(200, get().status());
        }
        assertTrue(badHits.get() > hitsWhenEjected, "the host receives traffic again");
        assertEquals(1, hostOnPort(badPort).stats().ejectionCount());
    }

    @Test
    void istioDefaultMaxEjectionPercentNeverEjectsOneHostOfThree() {
        AtomicInteger badHits = new AtomicInteger();
        int good1 = h.backend(r -> r.response().end("good"));
        int badPort = h.backend(r -> {
            badHits.incrementAndGet();
            r.response().setStatusCode(500).end("bad");
        });
        int good2 = h.backend(r -> r.response().end("good"));
        h.apply(snapshot(staticService("default", "svc.test", good1, badPort, good2),
                rule("default", "od", "svc.test", policy(od(1, null, 0)))));
        h.route(dest("svc.test"), null, RetryPolicy.NONE);
        for (int i = 0; i < 12; i++) {
            get();
        }
        // 1 of 3 hosts is 33% > Istio's default maxEjectionPercent of 10%: Envoy ejects nothing
        assertEquals(4, badHits.get());
        assertEquals(0, cluster().stats().ejectionsTotal().sum());
    }

    @Test
    void allHostsEjectedGive503UHWithoutPanicThreshold() {
        int a = h.backend(r -> r.response().setStatusCode(500).end("bad"));
        int b = h.backend(r -> r.response().setStatusCode(500).end("bad"));
        h.apply(snapshot(staticService("default", "svc.test", a, b),
                rule("default", "od", "svc.test", policy(od(1, 100, 0)))));
        h.route(dest("svc.test"), null, RetryPolicy.NONE);
        assertEquals(500, get().status());
        assertEquals(500, get().status());
        Reply r = get();
        assertEquals(503, r.status());
        assertEquals("no healthy upstream", r.body());
        assertTrue(h.lastExchange().flags().contains(ResponseFlag.UH));
    }

    @Test
    void belowMinHealthPercentThePanickingClusterUsesEveryHost() {
        AtomicInteger hits = new AtomicInteger();
        int a = h.backend(r -> {
            hits.incrementAndGet();
            r.response().setStatusCode(500).end("bad");
        });
        int b = h.backend(r -> {
            hits.incrementAndGet();
            r.response().setStatusCode(500).end("bad");
        });
        h.apply(snapshot(staticService("default", "svc.test", a, b),
                rule("default", "od", "svc.test", policy(od(1, 100, 50)))));
        h.route(dest("svc.test"), null, RetryPolicy.NONE);
        for (int i = 0; i < 6; i++) {
            assertEquals(500, get().status(), "panic mode keeps sending to the hosts");
        }
        assertEquals(6, hits.get());
        assertEquals(2, cluster().stats().ejectionsTotal().sum(), "both hosts were ejected");
    }

    @Test
    void splitLocalOriginFailuresEjectAnUnreachableHost() {
        int dead = h.deadPort();
        int live = h.backend(r -> r.response().end("good"));
        OutlierDetection split = new OutlierDetection(0, true, 1, null, null, Duration.ofSeconds(10),
                Duration.ofSeconds(30), 100, 0, List.of());
        h.apply(snapshot(staticService("default", "svc.test", dead, live),
                rule("default", "od", "svc.test", policy(split))));
        h.route(dest("svc.test"), null, RetryPolicy.NONE);
        int failures = 0;
        for (int i = 0; i < 10; i++) {
            Reply r = get();
            if (r.status() == 503) {
                failures++;
                assertTrue(h.lastExchange().flags().contains(ResponseFlag.UF));
            } else {
                assertEquals(200, r.status());
            }
        }
        assertEquals(1, failures, "one connect failure ejects the dead host");
        assertTrue(hostOnPort(dead).stats().ejected(System.nanoTime()));
    }
}

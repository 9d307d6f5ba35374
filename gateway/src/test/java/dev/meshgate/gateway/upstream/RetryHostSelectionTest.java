package dev.meshgate.gateway.upstream;

import dev.meshgate.gateway.route.RetryPolicy;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.meshgate.gateway.upstream.Fixtures.dest;
import static dev.meshgate.gateway.upstream.Fixtures.snapshot;
import static dev.meshgate.gateway.upstream.Fixtures.staticService;
import static dev.meshgate.gateway.upstream.Harness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Envoy's previous_hosts retry predicate, which Istio configures by default (retryIgnorePreviousHosts true): a
 * retry goes to a host not tried yet. Two backends, one always failing, behind the default LEAST_REQUEST balancer.
 */
class RetryHostSelectionTest {

    private static final int REQUESTS = 60;

    private final Harness h = new Harness();
    private final HttpClient client = h.client();
    private final AtomicInteger badHits = new AtomicInteger();
    private final AtomicInteger badRetries = new AtomicInteger();
    private final AtomicInteger goodRetries = new AtomicInteger();

    @AfterEach
    void close() {
        h.close();
    }

    private int get() {
        return await(h.onLoop(() -> client.request(new RequestOptions().setURI("/")).compose(req -> req.send())
                .compose(resp -> resp.body().map(b -> resp.statusCode()))));
    }

    private void serve(boolean ignorePreviousHosts) {
        int bad = h.backend(req -> {
            badHits.incrementAndGet();
            if (!"1".equals(req.getHeader("x-envoy-attempt-count"))) {
                badRetries.incrementAndGet();
            }
            req.response().setStatusCode(503).end("bad");
        });
        int good = h.backend(req -> {
            if (!"1".equals(req.getHeader("x-envoy-attempt-count"))) {
                goodRetries.incrementAndGet();
            }
            req.response().end("good");
        });
        h.apply(snapshot(staticService("default", "svc.test", bad, good)));
        h.route(dest("svc.test"), null, new RetryPolicy(1, null, Set.of("5xx"), Set.of(), Duration.ofMillis(1),
                ignorePreviousHosts));
    }

    @Test
    void aRetryGoesToTheOtherHost() {
        serve(true);
        for (int i = 0; i < REQUESTS; i++) {
            assertEquals(200, get(), "request " + i);
        }
        assertEquals(0, badRetries.get(), "no retry went back to the failing host");
        assertEquals(badHits.get(), goodRetries.get(), "every first try on the bad host was retried on the good one");
        assertTrue(badHits.get() > 0, "the balancer did pick the bad host for some first tries");
    }

    @Test
    void withRetryIgnorePreviousHostsFalseARetryMayHitTheSameHost() {
        serve(false);
        int failed = 0;
        for (int i = 0; i < REQUESTS; i++) {
            failed += get() == 503 ? 1 : 0;
        }
        // each request fails with probability 1/4 (bad first try, bad retry): all 60 passing has odds of 3e-8
        assertTrue(badRetries.get() > 0, "some retry went to the bad host again");
        assertEquals(badRetries.get(), failed);
    }
}

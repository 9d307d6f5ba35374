package dev.meshgate.gateway.upstream;

import dev.meshgate.config.model.networking.ConnectionPoolSettings;
import dev.meshgate.config.model.networking.HTTPSettings;
import dev.meshgate.config.model.networking.RetryBudget;
import dev.meshgate.config.model.networking.TrafficPolicy;
import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.exchange.ResponseFlag;
import dev.meshgate.gateway.route.RetryPolicy;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.ClusterStats;
import dev.meshgate.gateway.upstream.cluster.RetryBudgetLimit;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import static dev.meshgate.gateway.upstream.Fixtures.dest;
import static dev.meshgate.gateway.upstream.Fixtures.rule;
import static dev.meshgate.gateway.upstream.Fixtures.snapshot;
import static dev.meshgate.gateway.upstream.Fixtures.staticService;
import static dev.meshgate.gateway.upstream.Harness.await;
import static dev.meshgate.gateway.upstream.Harness.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * trafficPolicy.retryBudget as Envoy's retry_budget circuit breaker: retries in flight are capped at
 * max(minRetryConcurrency, percent% of active+pending requests); an overflowing retry is not attempted and the
 * original failure goes back flagged UO. The budget replaces http.maxRetries.
 */
class RetryBudgetTest {

    private static final RetryPolicy RETRY_5XX = new RetryPolicy(2, null, Set.of("5xx"), Set.of(),
            Duration.ofMillis(1), true);

    private final Harness h = new Harness();
    // HTTP/2 downstream: the test client's own pool (5 connections for HTTP/1.1) never queues a request
    private final HttpClient client = h.h2Client();
    /** Retries (attempt 2+) and /hold requests, kept open by the backend. */
    private final ConcurrentLinkedQueue<HttpServerRequest> held = new ConcurrentLinkedQueue<>();

    @AfterEach
    void close() {
        h.close();
    }

    private record Reply(int status, String body) {
    }

    private Future<Reply> get(String uri) {
        return h.onLoop(() -> client.request(new RequestOptions().setURI(uri)).compose(req -> req.send())
                .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), b.toString()))));
    }

    /** /fail*: the first try answers 503, a retry is held; /hold*: held. */
    private void serve(TrafficPolicy policy) {
        int b = h.backend(req -> {
            if (req.path().startsWith("/fail") && "1".equals(req.getHeader("x-envoy-attempt-count"))) {
                req.response().setStatusCode(503).end("first try failed");
            } else {
                held.add(req);
            }
        });
        h.apply(snapshot(staticService("default", "svc.test", b), rule("default", "rb", "svc.test", policy)));
        h.route(dest("svc.test"), null, RETRY_5XX);
    }

    private static TrafficPolicy budget(Double percent, Integer minRetryConcurrency, int maxRetries) {
        ConnectionPoolSettings cp = maxRetries == 0 ? null : new ConnectionPoolSettings(null,
                new HTTPSettings(0, 0, 0, maxRetries, null, null, false, 0, null));
        return new TrafficPolicy(null, cp, null, null, null, null, null,
                new RetryBudget(percent, minRetryConcurrency, null));
    }

    private ClusterStats stats() {
        Cluster c = h.manager.clusters().clusters().values().iterator().next();
        return c.stats();
    }

    private static boolean overflowed(Reply r) {
        return r.status() == 503 && r.body().equals("first try failed");
    }

    private long flaggedUo() {
        return h.exchanges.stream().filter(e -> e.flags().contains(ResponseFlag.UO)).count();
    }

    @Test
    void envoyBudgetFormula() {
        RetryBudgetLimit defaults = RetryBudgetLimit.of(new RetryBudget(null, null, null));
        assertEquals(new RetryBudgetLimit(20, 3), defaults);
        assertEquals(3, defaults.maxRetries(0));
        assertEquals(3, defaults.maxRetries(19), "20% of 19 is 3.8, truncated to 3");
        assertEquals(4, defaults.maxRetries(20));
        assertEquals(25, new RetryBudgetLimit(25, 1).maxRetries(100));
    }

    @Test
    void burstOfFailuresGetsOnlyMinRetryConcurrencyRetriesAndTheBudgetReplacesMaxRetries() {
        // Istio defaults (20%, 3); maxRetries 1 would allow a single retry, but the budget overrides it
        serve(budget(null, null, 1));
        int n = 10;
        List<Future<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            replies.add(get("/fail" + i));
        }
        // at most 10 tries + 3 retries in flight: 20% of that is below 3, so exactly 3 retries start
        eventually(() -> replies.stream().filter(Future::isComplete).count() == n - 3, "7 overflowed replies");
        eventually(() -> held.size() == 3, "3 retries at the backend");
        assertTrue(replies.stream().filter(Future::isComplete).allMatch(f -> overflowed(f.result())),
                "an overflowing retry is not attempted: the original 503 goes back");
        assertEquals(n - 3, flaggedUo());
        assertEquals(n - 3, stats().retryOverflows().sum());
        assertEquals(3, stats().activeRetries().get());

        held.forEach(r -> r.response().end("retried"));
        for (Future<Reply> f : replies) {
            Reply r = await(f);
            assertTrue(overflowed(r) || (r.status() == 200 && r.body().equals("retried")), r.toString());
        }
        assertEquals(3, replies.stream().filter(f -> f.result().status() == 200).count());
        eventually(() -> stats().activeRetries().get() == 0, "retry slots given back");
    }

    @Test
    void budgetGrowsWithTheRequestsInFlight() {
        serve(budget(50.0, 1, 0));
        // 1: the failing try is the only request in flight: max(50% of 1 = 0, 1) = 1 retry allowed
        Future<Reply> f1 = get("/fail1");
        eventually(() -> held.size() == 1, "first retry held");
        // 2: in flight = its own try + retry 1 = 2: max(1, 1) = 1, and 1 retry is running: overflow
        assertTrue(overflowed(await(get("/fail2"))));
        // four plain requests in flight raise the budget
        List<Future<Reply>> plain = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            plain.add(get("/hold" + i));
        }
        eventually(() -> held.size() == 5, "retry 1 and four plain requests held");
        // 3, 4, 5: in flight 6, 7, 8 -> budget 3, 3, 4 against 1, 2, 3 running retries: all retried
        List<Future<Reply>> retried = new ArrayList<>();
        for (int i = 3; i <= 5; i++) {
            retried.add(get("/fail" + i));
            int expected = 5 + (i - 2);
            eventually(() -> held.size() == expected, "retry of /fail" + i + " held");
        }
        // 6: in flight 9 -> budget 4, 4 retries running: overflow
        assertTrue(overflowed(await(get("/fail6"))));
        assertEquals(2, stats().retryOverflows().sum());
        assertEquals(4, stats().activeRetries().get());
        held.forEach(r -> r.response().end("done"));
        assertEquals(200, await(f1).status());
        retried.forEach(f -> assertEquals("done", await(f).body()));
        plain.forEach(f -> assertEquals("done", await(f).body()));
        List<Exchange> uo = h.exchanges.stream().filter(e -> e.flags().contains(ResponseFlag.UO)).toList();
        assertEquals(List.of("/fail2", "/fail6"), uo.stream().map(Exchange::path).toList());
    }

    @Test
    void withoutBudgetMaxRetriesStillApplies() {
        ConnectionPoolSettings cp = new ConnectionPoolSettings(null,
                new HTTPSettings(0, 0, 0, 1, null, null, false, 0, null));
        serve(new TrafficPolicy(null, cp, null, null, null, null, null, null));
        Future<Reply> first = get("/fail1");
        eventually(() -> held.size() == 1, "one retry held");
        assertTrue(overflowed(await(get("/fail2"))));
        held.forEach(r -> r.response().end("x"));
        assertEquals(200, await(first).status());
        assertFalse(stats().retryOverflows().sum() == 0);
    }
}

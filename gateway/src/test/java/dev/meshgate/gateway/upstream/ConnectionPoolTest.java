package dev.meshgate.gateway.upstream;

import dev.meshgate.config.model.networking.ConnectionPoolSettings;
import dev.meshgate.config.model.networking.HTTPSettings;
import dev.meshgate.config.model.networking.TCPSettings;
import dev.meshgate.config.model.networking.TrafficPolicy;
import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.exchange.ResponseFlag;
import dev.meshgate.gateway.route.RetryPolicy;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
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

/** DestinationRule connectionPool limits as Envoy circuit breakers: 503 UO with x-envoy-overloaded, at once. */
class ConnectionPoolTest {

    private final Harness h = new Harness();
    private final HttpClient client = h.client();

    @AfterEach
    void close() {
        h.close();
    }

    private record Reply(int status, String body, io.vertx.core.MultiMap headers) {
    }

    private Future<Reply> get(String uri) {
        return h.onLoop(() -> client.request(new RequestOptions().setURI(uri))
                .compose(req -> req.send())
                .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), b.toString(), resp.headers()))));
    }

    private static TrafficPolicy pool(TCPSettings tcp, HTTPSettings http) {
        return new TrafficPolicy(null, new ConnectionPoolSettings(tcp, http), null, null, null, null, null, null);
    }

    private static TCPSettings tcp(int maxConnections) {
        return new TCPSettings(maxConnections, null, null, null, null);
    }

    private static HTTPSettings http(int maxPending, int maxRequests, int perConnection, int maxRetries) {
        return new HTTPSettings(maxPending, maxRequests, perConnection, maxRetries, null, null, false, 0, null);
    }

    /** Istio's circuit-breaking task: maxConnections 1, http1MaxPendingRequests 1, maxRequestsPerConnection 1. */
    private static TrafficPolicy istioCircuitBreaker() {
        return pool(tcp(1), http(1, 0, 1, 0));
    }

    private static boolean overflowReply(Reply r) {
        return r.status() == 503 && "true".equals(r.headers().get("x-envoy-overloaded"))
                && r.body().endsWith("reset reason: overflow");
    }

    @Test
    void istioTaskConfigAdmitsOneActiveAndOnePendingAndRefusesTheRestAtOnce() {
        ConcurrentLinkedQueue<HttpServerRequest> held = new ConcurrentLinkedQueue<>();
        Set<SocketAddress> connections = ConcurrentHashMap.newKeySet();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        int b = h.backend(req -> {
            connections.add(req.connection().remoteAddress());
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            req.response().endHandler(v -> concurrent.decrementAndGet());
            held.add(req);
        });
        h.apply(snapshot(staticService("default", "svc.test", b),
                rule("default", "cb", "svc.test", istioCircuitBreaker())));
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);

        List<Future<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            replies.add(get("/r" + i));
        }
        // three of five overflow while the backend still holds the first request: nothing waits for it
        eventually(() -> replies.stream().filter(f -> f.isComplete() && overflowReply(f.result())).count() == 3,
                "three immediate 503 UO");
        eventually(() -> held.size() == 1, "the admitted request at the backend");
        assertEquals(1, h.manager.clusters().clusters().values().iterator().next().stats().pendingRequests().get());

        // release the backend: the active request, then the pending one, complete with 200
        for (int done = 0; done < 2; done++) {
            eventually(() -> !held.isEmpty(), "a request at the backend");
            HttpServerRequest r = held.poll();
            r.response().end("ok");
        }
        List<Reply> all = replies.stream().map(Harness::await).toList();
        assertEquals(2, all.stream().filter(r -> r.status() == 200).count());
        assertEquals(3, all.stream().filter(ConnectionPoolTest::overflowReply).count());
        assertEquals(1, maxConcurrent.get(), "never more than one request at the backend");
        // maxRequestsPerConnection 1: each request had its own connection
        assertEquals(2, connections.size());
        long uo = h.exchanges.stream().filter(e -> e.flags().contains(ResponseFlag.UO)).count();
        assertEquals(3, uo);
        assertTrue(h.exchanges.stream().filter(e -> e.flags().contains(ResponseFlag.UO))
                .allMatch(e -> "upstream_reset_before_response_started{overflow}".equals(e.responseCodeDetails())));
    }

    @Test
    void istioTaskConfigUnderConcurrentLoadGivesAMixOf200And503UO() {
        int b = h.backend(req -> h.vertx.setTimer(20, id -> req.response().end("ok")));
        h.apply(snapshot(staticService("default", "svc.test", b),
                rule("default", "cb", "svc.test", istioCircuitBreaker())));
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);

        // like fortio -c 4 -n 40: four connections, each sending its next request when the previous one ends
        List<Future<List<Reply>>> loops = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            loops.add(sequence(10, new ArrayList<>()));
        }
        List<Reply> all = loops.stream().flatMap(f -> await(f).stream()).toList();
        assertEquals(40, all.size());
        long ok = all.stream().filter(r -> r.status() == 200).count();
        long uo = all.stream().filter(ConnectionPoolTest::overflowReply).count();
        assertEquals(40, ok + uo, "every reply is a 200 or a 503 UO");
        assertTrue(ok > 0, "some requests pass");
        assertTrue(uo > 0, "some requests trip the breaker");
        assertEquals(0, h.manager.clusters().clusters().values().iterator().next().stats().activeRequests().get());
    }

    private Future<List<Reply>> sequence(int left, List<Reply> acc) {
        if (left == 0) {
            return Future.succeededFuture(acc);
        }
        return get("/load").compose(r -> {
            acc.add(r);
            return sequence(left - 1, acc);
        });
    }

    @Test
    void http2MaxRequestsRefusesWithoutQueueing() {
        ConcurrentLinkedQueue<HttpServerRequest> held = new ConcurrentLinkedQueue<>();
        int b = h.backend(held::add);
        h.apply(snapshot(staticService("default", "svc.test", b),
                rule("default", "cb", "svc.test", pool(null, http(0, 1, 0, 0)))));
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);

        Future<Reply> first = get("/a");
        eventually(() -> held.size() == 1, "first request at the backend");
        Reply second = await(get("/b"));
        assertTrue(overflowReply(second), "second request overflows at once: " + second);
        held.poll().response().end("ok");
        assertEquals(200, await(first).status());
        // the slot is free again
        Future<Reply> third = get("/c");
        eventually(() -> held.size() == 1, "third request at the backend");
        held.poll().response().end("ok");
        assertEquals(200, await(third).status());
    }

    @Test
    void maxRetriesBudgetOverflowReturnsTheUpstreamAnswerFlaggedUO() {
        ConcurrentLinkedQueue<HttpServerRequest> heldRetries = new ConcurrentLinkedQueue<>();
        int b = h.backend(req -> {
            if ("1".equals(req.getHeader("x-envoy-attempt-count"))) {
                req.response().setStatusCode(503).end("first try fails");
            } else {
                heldRetries.add(req);
            }
        });
        h.apply(snapshot(staticService("default", "svc.test", b),
                rule("default", "cb", "svc.test", pool(null, http(0, 0, 0, 1)))));
        h.route(dest("svc.test"), null, new RetryPolicy(2, null, Set.of("5xx"), Set.of(), Duration.ofMillis(1), true));

        Future<Reply> a = get("/a");
        eventually(() -> heldRetries.size() == 1, "a's retry in flight");
        Reply bReply = await(get("/b"));
        assertEquals(503, bReply.status());
        assertEquals("first try fails", bReply.body(), "b's retry overflowed: the upstream answer goes back");
        Exchange bEx = h.exchanges.stream().filter(e -> e.path().equals("/b")).findFirst().orElseThrow();
        assertTrue(bEx.flags().contains(ResponseFlag.UO));
        heldRetries.poll().response().end("retried");
        Reply aReply = await(a);
        assertEquals(200, aReply.status());
        assertEquals("retried", aReply.body());
        assertEquals(0, h.manager.clusters().clusters().values().iterator().next().stats().activeRetries().get());
    }

    @Test
    void maxRequestsPerConnectionClosesAfterTheLimit() {
        Set<SocketAddress> connections = ConcurrentHashMap.newKeySet();
        int b = h.backend(req -> {
            connections.add(req.connection().remoteAddress());
            req.response().end("ok");
        });
        h.apply(snapshot(staticService("default", "svc.test", b),
                rule("default", "cb", "svc.test", pool(null, http(0, 0, 2, 0)))));
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);
        for (int i = 0; i < 4; i++) {
            assertEquals(200, await(get("/x")).status());
        }
        assertEquals(2, connections.size(), "two requests per connection");
    }

    @Test
    void withoutLimitsConnectionsAreReused() {
        Set<SocketAddress> connections = ConcurrentHashMap.newKeySet();
        int b = h.backend(req -> {
            connections.add(req.connection().remoteAddress());
            req.response().end("ok");
        });
        h.apply(snapshot(staticService("default", "svc.test", b)));
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);
        for (int i = 0; i < 4; i++) {
            assertEquals(200, await(get("/x")).status());
        }
        assertEquals(1, connections.size());
        assertFalse(h.exchanges.stream().anyMatch(e -> e.flags().contains(ResponseFlag.UO)));
    }
}

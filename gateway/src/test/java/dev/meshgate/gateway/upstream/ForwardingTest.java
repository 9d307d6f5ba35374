package dev.meshgate.gateway.upstream;

import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.exchange.HeaderOps;
import dev.meshgate.gateway.exchange.ResponseFlag;
import dev.meshgate.gateway.route.ClusterKey;
import dev.meshgate.gateway.route.ForwardAction;
import dev.meshgate.gateway.route.MirrorPolicy;
import dev.meshgate.gateway.route.RetryPolicy;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.meshgate.gateway.upstream.Fixtures.dest;
import static dev.meshgate.gateway.upstream.Fixtures.snapshot;
import static dev.meshgate.gateway.upstream.Fixtures.staticService;
import static dev.meshgate.gateway.upstream.Harness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForwardingTest {

    private final Harness h = new Harness();
    private final HttpClient client = h.client();

    @AfterEach
    void close() {
        h.close();
    }

    private record Reply(int status, String body, io.vertx.core.MultiMap headers) {
    }

    private Reply get(String uri) {
        return send(HttpMethod.GET, uri, null);
    }

    private Reply send(HttpMethod method, String uri, Buffer body) {
        return await(h.onLoop(() -> client.request(new RequestOptions().setMethod(method).setURI(uri))
                .compose(req -> body == null ? req.send() : req.send(body))
                .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), b.toString(), resp.headers())))));
    }

    @Test
    void forwardsRequestAndResponseWithHeaderHygieneAndOps() {
        ConcurrentLinkedQueue<HttpServerRequest> seen = new ConcurrentLinkedQueue<>();
        int b = h.backend(req -> {
            seen.add(req);
            req.response().putHeader("x-backend", "1").putHeader("keep-alive", "timeout=5")
                    .putHeader("x-remove-me", "x").end("hello " + req.uri());
        });
        h.apply(snapshot(staticService("default", "svc.test", b)));
        h.responseOps = new HeaderOps(Map.of("x-set", "s"), Map.of(), List.of("x-remove-me"));
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);

        Reply r = get("/a/b?q=1");

        assertEquals(200, r.status());
        assertEquals("hello /a/b?q=1", r.body());
        assertEquals("1", r.headers().get("x-backend"));
        assertEquals("s", r.headers().get("x-set"));
        assertNull(r.headers().get("x-remove-me"));
        assertNull(r.headers().get("keep-alive"));
        assertTrue(r.headers().contains("x-envoy-upstream-service-time"));
        HttpServerRequest up = seen.poll();
        assertEquals("svc.test", up.headers().get("host"));
        assertEquals("1", up.headers().get("x-envoy-attempt-count"));
        Exchange ex = h.lastExchange();
        assertEquals("outbound|80||svc.test", ex.upstreamCluster());
        assertEquals("127.0.0.1:" + b, ex.upstreamHost());
        assertEquals("via_upstream", ex.responseCodeDetails());
        assertEquals("-", ex.flagsString());
    }

    @Test
    void unknownHostOrSubsetIs503NC() {
        int b = h.backend(req -> req.response().end("ok"));
        h.apply(snapshot(staticService("default", "svc.test", b)));
        h.route(dest("nope.test"), null, RetryPolicy.ISTIO_DEFAULT);
        Reply r = get("/");
        assertEquals(503, r.status());
        assertEquals(Set.of(ResponseFlag.NC), h.lastExchange().flags());
        assertEquals("cluster_not_found", h.lastExchange().responseCodeDetails());

        h.route(dest("svc.test", "v9", 0), null, RetryPolicy.ISTIO_DEFAULT);
        assertEquals(503, get("/").status());
        assertEquals(Set.of(ResponseFlag.NC), h.lastExchange().flags());
        assertEquals("outbound||v9|svc.test", h.lastExchange().upstreamCluster());
    }

    @Test
    void noEndpointsIs503UH() {
        h.apply(snapshot(staticService("default", "svc.test")));
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);
        Reply r = get("/");
        assertEquals(503, r.status());
        assertEquals("no healthy upstream", r.body());
        assertEquals(Set.of(ResponseFlag.UH), h.lastExchange().flags());
        assertEquals("no_healthy_upstream", h.lastExchange().responseCodeDetails());
    }

    @Test
    void connectFailureIs503UFAndRetriedByDefault() {
        int dead = h.deadPort();
        h.apply(snapshot(staticService("default", "svc.test", dead)));
        h.route(dest("svc.test"), null, RetryPolicy.NONE);
        Reply r = get("/");
        assertEquals(503, r.status());
        assertEquals("upstream connect error or disconnect/reset before headers. reset reason: connection failure", r.body());
        assertEquals(Set.of(ResponseFlag.UF), h.lastExchange().flags());
        assertEquals("upstream_reset_before_response_started{connection_failure}", h.lastExchange().responseCodeDetails());

        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);
        r = get("/");
        assertEquals(503, r.status());
        assertEquals("upstream connect error or disconnect/reset before headers. retried and the latest reset reason: "
                + "connection failure", r.body());
        assertEquals(Set.of(ResponseFlag.UF, ResponseFlag.URX), h.lastExchange().flags());
    }

    @Test
    void connectFailureRetriedOnAnotherHost() {
        int dead = h.deadPort();
        List<String> attempts = new CopyOnWriteArrayList<>();
        int live = h.backend(req -> {
            attempts.add(req.headers().get("x-envoy-attempt-count"));
            req.response().end("live");
        });
        // ROUND_ROBIN starts with the first endpoint, the dead one
        h.apply(snapshot(staticService("default", "svc.test", dead, live),
                Fixtures.rule("default", "dr", "svc.test",
                        Fixtures.lb(dev.meshgate.config.model.networking.LoadBalancerSettings.SimpleLB.ROUND_ROBIN))));
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);
        Reply r = get("/");
        assertEquals(200, r.status());
        assertEquals("live", r.body());
        assertEquals(List.of("2"), attempts);
        assertEquals("127.0.0.1:" + live, h.lastExchange().upstreamHost());
        assertEquals("-", h.lastExchange().flagsString());
    }

    @Test
    void upstreamCloseBeforeResponseIs503UC() {
        int b = h.backend(req -> req.connection().close());
        h.apply(snapshot(staticService("default", "svc.test", b)));
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);
        Reply r = get("/");
        assertEquals(503, r.status());
        assertEquals("upstream connect error or disconnect/reset before headers. reset reason: connection termination",
                r.body());
        assertEquals(Set.of(ResponseFlag.UC), h.lastExchange().flags());
        assertEquals("upstream_reset_before_response_started{connection_termination}",
                h.lastExchange().responseCodeDetails());
    }

    @Test
    void fiveHundredsAreRetriedOnlyWhenConfigured() {
        AtomicInteger calls = new AtomicInteger();
        List<String> attemptHeaders = new CopyOnWriteArrayList<>();
        int b = h.backend(req -> {
            attemptHeaders.add(req.headers().get("x-envoy-attempt-count"));
            req.response().setStatusCode(calls.incrementAndGet() % 2 == 1 ? 503 : 200).end("n" + calls.get());
        });
        h.apply(snapshot(staticService("default", "svc.test", b)));

        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);
        assertEquals(503, get("/").status());
        assertEquals(1, calls.get());

        calls.set(0);
        attemptHeaders.clear();
        h.route(dest("svc.test"), null, new RetryPolicy(2, null, Set.of("5xx"), Set.of(), Duration.ofMillis(1), true));
        Reply r = get("/");
        assertEquals(200, r.status());
        assertEquals("n2", r.body());
        assertEquals(List.of("1", "2"), attemptHeaders);

        calls.set(0);
        h.route(dest("svc.test"), null, new RetryPolicy(2, null, Set.of("retriable-status-codes"), Set.of(503),
                Duration.ofMillis(1), true));
        assertEquals(200, get("/").status());
        assertEquals(2, calls.get());
    }

    @Test
    void exhaustedStatusRetriesPassTheLastAnswerWithURX() {
        AtomicInteger calls = new AtomicInteger();
        int b = h.backend(req -> req.response().setStatusCode(502).end("bad" + calls.incrementAndGet()));
        h.apply(snapshot(staticService("default", "svc.test", b)));
        h.route(dest("svc.test"), null, new RetryPolicy(2, null, Set.of("gateway-error"), Set.of(), Duration.ofMillis(1), true));
        Reply r = get("/");
        assertEquals(502, r.status());
        assertEquals("bad3", r.body());
        assertEquals(Set.of(ResponseFlag.URX), h.lastExchange().flags());
    }

    @Test
    void postBodyIsReplayedOnRetry() {
        List<String> bodies = new CopyOnWriteArrayList<>();
        int b = h.backend(req -> req.body().onSuccess(body -> {
            bodies.add(body.toString());
            req.response().setStatusCode(bodies.size() == 1 ? 503 : 200).end(body);
        }));
        h.apply(snapshot(staticService("default", "svc.test", b)));
        h.route(dest("svc.test"), null, new RetryPolicy(1, null, Set.of("5xx"), Set.of(), Duration.ofMillis(1), true));
        String payload = "x".repeat(20_000);
        Reply r = send(HttpMethod.POST, "/upload", Buffer.buffer(payload));
        assertEquals(200, r.status());
        assertEquals(payload, r.body());
        assertEquals(List.of(payload, payload), bodies);
    }

    @Test
    void bodyLargerThanReplayBufferIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        int b = h.backend(req -> req.body().onSuccess(body -> {
            calls.incrementAndGet();
            req.response().setStatusCode(503).end(Integer.toString(body.length()));
        }));
        h.apply(snapshot(staticService("default", "svc.test", b)));
        h.route(dest("svc.test"), null, new RetryPolicy(2, null, Set.of("5xx"), Set.of(), Duration.ofMillis(1), true));
        Reply r = send(HttpMethod.POST, "/", Buffer.buffer(new byte[200_000]));
        assertEquals(503, r.status());
        assertEquals("200000", r.body());
        assertEquals(1, calls.get());
    }

    @Test
    void routeTimeoutIs504UT() {
        int b = h.backend(req -> { });
        h.apply(snapshot(staticService("default", "svc.test", b)));
        h.route(dest("svc.test"), Duration.ofMillis(200), RetryPolicy.ISTIO_DEFAULT);
        Reply r = get("/");
        assertEquals(504, r.status());
        assertEquals("upstream request timeout", r.body());
        assertEquals(Set.of(ResponseFlag.UT), h.lastExchange().flags());
        assertEquals("upstream_response_timeout", h.lastExchange().responseCodeDetails());
    }

    @Test
    void perTryTimeoutRetriesOnAnotherHostThenGives504() {
        ConcurrentLinkedQueue<String> hung = new ConcurrentLinkedQueue<>();
        int slow = h.backend(req -> hung.add(req.headers().get("x-envoy-attempt-count")));
        int fast = h.backend(req -> req.response().end("fast " + req.headers().get("x-envoy-attempt-count")));
        h.apply(snapshot(staticService("default", "svc.test", slow, fast),
                Fixtures.rule("default", "dr", "svc.test",
                        Fixtures.lb(dev.meshgate.config.model.networking.LoadBalancerSettings.SimpleLB.ROUND_ROBIN))));
        RetryPolicy perTry = new RetryPolicy(2, Duration.ofMillis(150), Set.of("5xx"), Set.of(), Duration.ofMillis(1), true);
        h.route(dest("svc.test"), null, perTry);
        Reply r = get("/");
        assertEquals(200, r.status());
        assertEquals("fast 2", r.body());
        assertEquals(List.of("1"), List.copyOf(hung));

        h.apply(snapshot(staticService("default", "svc.test", slow)));
        r = get("/");
        assertEquals(504, r.status());
        assertEquals("upstream request timeout", r.body());
        assertTrue(h.lastExchange().flags().contains(ResponseFlag.UT));
        assertEquals("upstream_per_try_timeout", h.lastExchange().responseCodeDetails());
    }

    @Test
    void mirrorGetsShadowCopyWhileClientGetsMainAnswer() {
        ConcurrentLinkedQueue<String> shadowSeen = new ConcurrentLinkedQueue<>();
        int main = h.backend(req -> req.body().onSuccess(b -> req.response().end("main:" + b)));
        // the shadow never answers: the main request must not wait for it
        int shadow = h.backend(req -> req.body().onSuccess(b ->
                shadowSeen.add(req.headers().get("host") + " " + req.method() + " " + req.uri() + " " + b)));
        h.apply(snapshot(staticService("default", "svc.test", main), staticService("default", "shadow.test", shadow)));
        ForwardAction a = new ForwardAction(List.of(dest("svc.test")), null, RetryPolicy.ISTIO_DEFAULT,
                List.of(new MirrorPolicy(new ClusterKey("shadow.test", "", 0), 100)));
        h.route = req -> a;
        h.authority = "svc.test:8080";
        Reply r = send(HttpMethod.POST, "/m?x=1", Buffer.buffer("payload"));
        assertEquals(200, r.status());
        assertEquals("main:payload", r.body());
        Harness.eventually(() -> !shadowSeen.isEmpty(), "shadow request");
        assertEquals("svc.test-shadow:8080 POST /m?x=1 payload", shadowSeen.peek());
    }

    @Test
    void mirrorPercentageZeroSendsNothing() {
        AtomicInteger shadowCalls = new AtomicInteger();
        int main = h.backend(req -> req.response().end("main"));
        int shadow = h.backend(req -> {
            shadowCalls.incrementAndGet();
            req.response().end();
        });
        h.apply(snapshot(staticService("default", "svc.test", main), staticService("default", "shadow.test", shadow)));
        ForwardAction a = new ForwardAction(List.of(dest("svc.test")), null, RetryPolicy.ISTIO_DEFAULT,
                List.of(new MirrorPolicy(new ClusterKey("shadow.test", "", 0), 0)));
        h.route = req -> a;
        for (int i = 0; i < 20; i++) {
            assertEquals(200, get("/").status());
        }
        // a full-percentage mirror on the same backend proves the shadow path works, so zero really means none
        ForwardAction all = new ForwardAction(List.of(dest("svc.test")), null, RetryPolicy.ISTIO_DEFAULT,
                List.of(new MirrorPolicy(new ClusterKey("shadow.test", "", 0), 100)));
        h.route = req -> all;
        assertEquals(200, get("/").status());
        Harness.eventually(() -> shadowCalls.get() == 1, "one shadow call");
        assertEquals(1, shadowCalls.get());
    }

    @Test
    void downstreamDisconnectCancelsUpstreamWithDC() {
        AtomicInteger upstreamClosed = new AtomicInteger();
        AtomicInteger arrived = new AtomicInteger();
        int b = h.backend(req -> {
            arrived.incrementAndGet();
            req.connection().closeHandler(v -> upstreamClosed.incrementAndGet());
        });
        h.apply(snapshot(staticService("default", "svc.test", b)));
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);
        var req = await(h.onLoop(() -> client.request(HttpMethod.GET, "/hang").compose(r -> r.end().map(r))));
        Harness.eventually(() -> arrived.get() == 1, "request at the backend");
        req.connection().close();
        Harness.eventually(() -> upstreamClosed.get() == 1, "upstream cancelled");
        Harness.eventually(() -> h.lastExchange().flags().contains(ResponseFlag.DC), "DC flag");
    }

    @Test
    void responseStreamResetAfterHeadersResetsDownstream() {
        int b = h.backend(req -> {
            req.response().setChunked(true).write("partial");
            req.connection().close();
        });
        h.apply(snapshot(staticService("default", "svc.test", b)));
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);
        var f = h.onLoop(() -> client.request(HttpMethod.GET, "/").compose(r -> r.send()).compose(HttpClientResponse::body));
        Throwable failure = f.toCompletionStage().toCompletableFuture().handle((v, t) -> t).join();
        assertTrue(failure != null, "the client must see the truncated response fail");
        assertTrue(h.lastExchange().flags().contains(ResponseFlag.UC));
        assertFalse(h.lastExchange().flags().contains(ResponseFlag.UF));
    }

    @Test
    void headNoContentAndExpectContinueBehave() {
        ConcurrentLinkedQueue<String> expects = new ConcurrentLinkedQueue<>();
        int b = h.backend(req -> {
            expects.add(String.valueOf(req.headers().get("expect")));
            if (req.method() == HttpMethod.HEAD) {
                req.response().putHeader("content-length", "42").end();
            } else if (req.path().equals("/empty")) {
                req.response().setStatusCode(204).end();
            } else {
                req.body().onSuccess(body -> req.response().end("got " + body.length()));
            }
        });
        h.apply(snapshot(staticService("default", "svc.test", b)));
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);
        Reply head = send(HttpMethod.HEAD, "/", null);
        assertEquals(200, head.status());
        assertEquals("42", head.headers().get("content-length"));
        assertEquals("", head.body());
        Reply empty = get("/empty");
        assertEquals(204, empty.status());
        assertEquals("", empty.body());

        // a client that waits for 100 Continue before sending its body gets it from the gateway
        var f = h.onLoop(() -> client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/upload")
                .putHeader("expect", "100-continue").putHeader("content-length", "5")).compose(req -> {
            req.continueHandler(v -> req.end("hello"));
            req.sendHead();
            return req.response();
        }).compose(resp -> resp.body().map(Buffer::toString)));
        assertEquals("got 5", await(f));
        assertEquals(List.of("null", "null", "null"), List.copyOf(expects));
    }

    @Test
    void earlyResponseStillDeliversTheRestOfTheRequestBody() throws Exception {
        java.util.concurrent.CompletableFuture<Long> bodyAtBackend = new java.util.concurrent.CompletableFuture<>();
        int b = h.backend(req -> {
            AtomicInteger bytes = new AtomicInteger();
            req.handler(chunk -> bytes.addAndGet(chunk.length()));
            req.endHandler(v -> bodyAtBackend.complete((long) bytes.get()));
            req.response().end("early");
        });
        h.apply(snapshot(staticService("default", "svc.test", b)));
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);
        String answer = await(h.onLoop(() -> client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/"))
                .compose(req -> {
                    req.setChunked(true);
                    req.write("a");
                    return req.response().compose(resp -> resp.body().map(Buffer::toString))
                            .compose(s -> req.end("bcd").map(s));
                })));
        assertEquals("early", answer);
        assertEquals(4L, bodyAtBackend.get(10, java.util.concurrent.TimeUnit.SECONDS));
    }
}

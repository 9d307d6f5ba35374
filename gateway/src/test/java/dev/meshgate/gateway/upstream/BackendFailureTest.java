package dev.meshgate.gateway.upstream;

import dev.meshgate.config.model.networking.ConnectionPoolSettings;
import dev.meshgate.config.model.networking.HTTPSettings;
import dev.meshgate.config.model.networking.LoadBalancerSettings;
import dev.meshgate.config.model.networking.OutlierDetection;
import dev.meshgate.config.model.networking.Protocol;
import dev.meshgate.config.model.networking.TrafficPolicy;
import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.exchange.ResponseFlag;
import dev.meshgate.gateway.route.ClusterKey;
import dev.meshgate.gateway.route.ForwardAction;
import dev.meshgate.gateway.route.RetryPolicy;
import dev.meshgate.gateway.upstream.FaultBackend.Fault;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.Host;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.StreamResetException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static dev.meshgate.gateway.upstream.Fixtures.dest;
import static dev.meshgate.gateway.upstream.Fixtures.rule;
import static dev.meshgate.gateway.upstream.Fixtures.snapshot;
import static dev.meshgate.gateway.upstream.Fixtures.staticService;
import static dev.meshgate.gateway.upstream.Harness.await;
import static dev.meshgate.gateway.upstream.Harness.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failures injected for real at a socket-level HTTP/1.1 backend ({@link FaultBackend}) and at h2c backends, under
 * concurrent traffic from a real HTTP client: a backend killed mid-traffic (also mid-upload), one that hangs, a slow
 * one, one that stalls mid-body, one that resets, one that closes. Every request either succeeds or gets the error
 * Envoy gives with Istio's defaults (503 UC / UF+URX / UR, 504 UT); none outlives its timeout (the
 * client gives up after {@link #CLIENT_GUARD_MS}, far beyond every route timeout); and the backend's own connection
 * counts show no leak: keep-alive reuse bounds the accepts, connections the gateway gave up on are closed, and at
 * shutdown every connection is closed.
 */
class BackendFailureTest {

    /** For requests that hang at the backend: they end at this timeout. */
    private static final Duration ROUTE_TIMEOUT = Duration.ofMillis(300);
    /**
     * For requests whose outcome must not depend on timing (answers, resets, closes): far beyond what they need
     * on a loaded 2-core machine, yet an unnoticed failure still surfaces as a 504 before the client's guard.
     */
    private static final Duration GENEROUS_TIMEOUT = Duration.ofSeconds(4);
    /** A hung gateway fails the request here instead of at the 20s await. */
    private static final long CLIENT_GUARD_MS = 5_000;

    private static final String TERMINATION_BODY =
            "upstream connect error or disconnect/reset before headers. reset reason: connection termination";
    private static final String TERMINATION_DETAILS = "upstream_reset_before_response_started{connection_termination}";

    private final Harness h = new Harness();
    private final HttpClient client = h.vertx.createHttpClient(
            new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(h.port).setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(32));
    private final List<FaultBackend> backends = new ArrayList<>();

    @AfterEach
    void close() {
        try {
            h.close();
            // the gateway's shutdown closes every pooled upstream connection: nothing stays open at any backend
            for (FaultBackend b : backends) {
                eventually(() -> b.open() == 0, "every connection to :" + b.port() + " closed at shutdown");
            }
        } finally {
            backends.forEach(FaultBackend::close);
        }
    }

    private record Reply(String path, int status, String body, MultiMap headers) {
    }

    private FaultBackend backend(Duration slow, Function<String, Fault> behaviour) {
        FaultBackend b = new FaultBackend(slow, behaviour);
        backends.add(b);
        return b;
    }

    private Future<Reply> get(String path) {
        return h.onLoop(() -> client.request(new RequestOptions().setURI(path).setIdleTimeout(CLIENT_GUARD_MS))
                .compose(req -> req.send())
                .compose(resp -> resp.body().map(b -> new Reply(path, resp.statusCode(), b.toString(),
                        resp.headers()))));
    }

    /** {@code n} requests at once, {@code prefix + i}. */
    private List<Future<Reply>> burst(String prefix, int n) {
        List<Future<Reply>> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(get(prefix + i));
        }
        return all;
    }

    private static List<Reply> awaitAll(List<Future<Reply>> fs) {
        return fs.stream().map(Harness::await).toList();
    }

    private Exchange exchange(String path) {
        return h.exchanges.stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow();
    }

    private Cluster cluster() {
        return h.manager.clusters().find(new ClusterKey("svc.test", "", 80));
    }

    /** No breaker slot or host request count is left behind by a failed or abandoned try. */
    private void assertNothingInFlight() {
        assertEquals(0, cluster().stats().activeRequests().get(), "cluster active requests");
        for (Host host : cluster().hosts()) {
            assertEquals(0, host.stats().activeRequests(), "active requests of " + host.hostPort());
        }
    }

    private void assertOk(Reply r) {
        assertEquals(200, r.status(), r.path() + ": " + r.body());
        assertEquals("ok " + r.path(), r.body());
        assertEquals("-", exchange(r.path()).flagsString(), r.path());
        assertEquals("via_upstream", exchange(r.path()).responseCodeDetails(), r.path());
    }

    private void assertTermination(Reply r) {
        assertEquals(503, r.status(), r.path() + ": " + r.body());
        assertEquals(TERMINATION_BODY, r.body(), r.path());
        assertEquals(Set.of(ResponseFlag.UC), exchange(r.path()).flags(), r.path());
        assertEquals(TERMINATION_DETAILS, exchange(r.path()).responseCodeDetails(), r.path());
    }

    private void assertRouteTimeout(Reply r) {
        assertEquals(504, r.status(), r.path() + ": " + r.body());
        assertEquals("upstream request timeout", r.body(), r.path());
        assertEquals(Set.of(ResponseFlag.UT), exchange(r.path()).flags(), r.path());
        assertEquals("upstream_response_timeout", exchange(r.path()).responseCodeDetails(), r.path());
    }

    private static long attemptsOf(FaultBackend b, String prefix) {
        return b.requests.stream().filter(r -> r.startsWith("GET " + prefix)).count();
    }

    private static TrafficPolicy roundRobin() {
        return new TrafficPolicy(new LoadBalancerSettings(LoadBalancerSettings.SimpleLB.ROUND_ROBIN, null, null, null,
                null, null), null, null, null, null, null, null, null);
    }

    private static TrafficPolicy httpIdleTimeout(Duration idle) {
        HTTPSettings http = new HTTPSettings(0, 0, 0, 0, idle, null, false, 0, null);
        return new TrafficPolicy(null, new ConnectionPoolSettings(null, http), null, null, null, null, null, null);
    }

    // ---------------------------------------------------------------- killed

    /**
     * With Istio's default retry policy (connect-failure, refused-stream, unavailable, cancelled,
     * retriable-status-codes; 2 retries) a connection closed under a request that was sent is not retried: Envoy
     * answers 503 UC. New requests find nothing listening: connect-failure is retried twice on the only host, then
     * Envoy answers 503 with UF and URX.
     */
    @Test
    void killedBackendFailsInFlightRequestsWithUCAndLaterOnesWithUFAfterRetries() {
        FaultBackend b = backend(Duration.ZERO, path -> Fault.HANG);
        h.apply(snapshot(staticService("default", "svc.test", b.port())));
        // no route timeout (Istio's default): only the kill can end the in-flight requests
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);

        List<Future<Reply>> inFlight = burst("/inflight/", 6);
        b.awaitRequests(6);
        b.kill();
        awaitAll(inFlight).forEach(this::assertTermination);
        assertEquals(6, attemptsOf(b, "/inflight/"), "a terminated request is not retried by default");

        List<Reply> after = awaitAll(burst("/after/", 6));
        for (Reply r : after) {
            assertEquals(503, r.status(), r.path());
            assertEquals("upstream connect error or disconnect/reset before headers. retried and the latest reset "
                    + "reason: connection failure", r.body());
            assertEquals(Set.of(ResponseFlag.UF, ResponseFlag.URX), exchange(r.path()).flags(), r.path());
            assertEquals("upstream_reset_before_response_started{connection_failure}",
                    exchange(r.path()).responseCodeDetails());
        }
        assertEquals(6, b.accepted(), "one connection per in-flight request, none after the kill");
        assertNothingInFlight();
    }

    /**
     * One of two hosts dies with requests in flight: those get 503 UC, the other host's requests are untouched, and
     * afterwards Istio's default connect-failure retry (which prefers another host) turns every connection refused
     * by the dead host into a 200 from the survivor, with no flag.
     */
    @Test
    void oneOfTwoHostsKilledMidTrafficNewRequestsSucceedThroughTheDefaultRetry() {
        FaultBackend doomed = backend(Duration.ZERO, path -> Fault.HANG);
        FaultBackend survivor = backend(Duration.ZERO, path -> Fault.RESPOND);
        h.apply(snapshot(staticService("default", "svc.test", doomed.port(), survivor.port()),
                rule("default", "rr", "svc.test", roundRobin())));
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);

        List<Future<Reply>> inFlight = burst("/inflight/", 6);
        // round robin: every other request hangs at the doomed host, the rest are answered by the survivor
        eventually(() -> doomed.requests.size() + inFlight.stream().filter(Future::isComplete).count() == 6,
                "every request answered by the survivor or held by the doomed host");
        int held = doomed.requests.size();
        assertEquals(3, held, "round robin over two hosts");
        doomed.kill();
        List<Reply> first = awaitAll(inFlight);
        int terminated = 0;
        for (Reply r : first) {
            if (r.status() == 200) {
                assertOk(r);
            } else {
                assertTermination(r);
                terminated++;
            }
        }
        assertEquals(held, terminated, "exactly the requests held by the killed host failed");

        List<Reply> after = awaitAll(burst("/after/", 8));
        after.forEach(this::assertOk);
        assertEquals(8, attemptsOf(survivor, "/after/"));
        assertTrue(survivor.requests.stream().anyMatch(r -> r.startsWith("GET /after/") && r.endsWith("attempt=2")),
                "requests first sent to the dead host were retried on the survivor: " + survivor.requests);
        assertEquals(held, doomed.accepted(), "nothing connected to the dead host");
        // the kill cost the survivor no connection; keep-alive reuse bounds its connections by the concurrency
        assertEquals(survivor.accepted(), survivor.open());
        assertTrue(survivor.accepted() <= 8, "survivor accepts: " + survivor.accepted());
        assertNothingInFlight();
    }

    /**
     * Local replies to complete requests keep the client's keep-alive connection, as with Envoy: a service whose
     * endpoints are all gone answers 503 UH to GETs without costing the client a new connection each. (Replies given
     * before any upstream try used to say connection: close, because the end of the paused GET was still queued.)
     */
    @Test
    void localRepliesToCompleteRequestsKeepTheDownstreamConnection() {
        h.apply(snapshot(staticService("default", "svc.test")));
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);

        Set<HttpConnection> used = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            String path = "/gone/" + i;
            Reply r = await(h.onLoop(() -> client.request(new RequestOptions().setURI(path)
                            .setIdleTimeout(CLIENT_GUARD_MS))
                    .compose(req -> {
                        used.add(req.connection());
                        return req.send();
                    })
                    .compose(resp -> resp.body().map(body -> new Reply(path, resp.statusCode(), body.toString(),
                            resp.headers())))));
            assertEquals(503, r.status());
            assertEquals("no healthy upstream", r.body());
            assertEquals(Set.of(ResponseFlag.UH), exchange(path).flags());
            assertNull(r.headers().get("connection"), "keep-alive");
        }
        assertEquals(1, used.size(), "the three replies came over one client connection");
    }

    /**
     * Outlier detection with a host killed for real: its connect failures count as 503s (no
     * splitExternalLocalOriginErrors), so after consecutive5xxErrors it is ejected; meanwhile Istio's default
     * connect-failure retry on another host hides it from every client. Restarted on its port, it is back in the
     * rotation once its ejection time is over.
     */
    @Test
    void killedHostOfThreeIsEjectedWhileRetriesHideItAndReturnsWhenRestarted() {
        FaultBackend a = backend(Duration.ZERO, path -> Fault.RESPOND);
        FaultBackend doomed = backend(Duration.ZERO, path -> Fault.RESPOND);
        FaultBackend c = backend(Duration.ZERO, path -> Fault.RESPOND);
        TrafficPolicy policy = new TrafficPolicy(new LoadBalancerSettings(LoadBalancerSettings.SimpleLB.ROUND_ROBIN,
                null, null, null, null, null), null, new OutlierDetection(0, false, null, null, 2,
                Duration.ofSeconds(1), Duration.ofSeconds(1), 100, 0, List.of()), null, null, null, null, null);
        h.apply(snapshot(staticService("default", "svc.test", a.port(), doomed.port(), c.port()),
                rule("default", "od", "svc.test", policy)));
        h.route(dest("svc.test"), GENEROUS_TIMEOUT, RetryPolicy.ISTIO_DEFAULT);
        int port = doomed.port();
        Host host = cluster().hosts().stream().filter(x -> x.port() == port).findFirst().orElseThrow();

        doomed.kill();
        for (int i = 0; i < 30 && !host.stats().ejected(System.nanoTime()); i++) {
            assertOk(await(get("/during/" + i)));
        }
        assertTrue(host.stats().ejected(System.nanoTime()), "the killed host is ejected");
        assertEquals(1, cluster().stats().ejectionsTotal().sum());

        long retried = retriesAt(a) + retriesAt(c);
        for (int i = 0; i < 6; i++) {
            assertOk(await(get("/ejected/" + i)));
        }
        assertEquals(retried, retriesAt(a) + retriesAt(c), "the ejected host is not tried, so nothing is retried");

        FaultBackend restarted = new FaultBackend(port, Duration.ZERO, path -> Fault.RESPOND);
        backends.add(restarted);
        eventually(() -> !host.stats().ejected(System.nanoTime()), "the ejection to end");
        for (int i = 0; i < 6; i++) {
            assertOk(await(get("/back/" + i)));
        }
        assertTrue(attemptsOf(restarted, "/back/") > 0, "the restarted host receives traffic again");
        assertNothingInFlight();
    }

    private static long retriesAt(FaultBackend b) {
        return b.requests.stream().filter(r -> !r.endsWith("attempt=1")).count();
    }

    // ---------------------------------------------------------------- hangs

    /**
     * A backend that accepts and never answers: 504 UT at the route timeout (Envoy does not retry a route
     * timeout), and since an HTTP/1.1 request can only be cancelled by closing its connection, every one of those
     * connections is closed; the next requests open fresh ones and succeed.
     */
    @Test
    void hangingBackendGets504UTAtTheRouteTimeoutAndItsConnectionsAreClosed() {
        FaultBackend b = backend(Duration.ZERO, path -> Fault.HANG);
        h.apply(snapshot(staticService("default", "svc.test", b.port())));
        h.route(dest("svc.test"), ROUTE_TIMEOUT, RetryPolicy.ISTIO_DEFAULT);

        awaitAll(burst("/hang/", 6)).forEach(this::assertRouteTimeout);
        assertEquals(6, attemptsOf(b, "/hang/"), "a route timeout is not retried");
        assertEquals(6, b.accepted());
        eventually(() -> b.busy() == 0 && b.open() == 0, "the gateway closing the connections of the timed-out requests");
        assertNothingInFlight();

        b.behaviour(path -> Fault.RESPOND);
        awaitAll(burst("/ok/", 6)).forEach(this::assertOk);
        assertTrue(b.accepted() <= 12, "accepts: " + b.accepted());
        assertNothingInFlight();
    }

    /**
     * A user's retry policy (attempts 2, perTryTimeout, retryOn gateway-error) against a hanging backend: each try
     * is abandoned at its per-try timeout, the last one gives Envoy's 504 with UT and URX, and every try's
     * connection is closed.
     */
    @Test
    void hangingBackendWithPerTryTimeoutRetriesThenGives504AndClosesEveryTry() {
        FaultBackend b = backend(Duration.ZERO, path -> Fault.HANG);
        h.apply(snapshot(staticService("default", "svc.test", b.port())));
        h.route(dest("svc.test"), GENEROUS_TIMEOUT, new RetryPolicy(2, Duration.ofMillis(300), Set.of("gateway-error"),
                Set.of(), Duration.ofMillis(1), true));

        for (Reply r : awaitAll(burst("/hang/", 4))) {
            assertEquals(504, r.status(), r.path());
            assertEquals("upstream request timeout", r.body());
            assertEquals(Set.of(ResponseFlag.UT, ResponseFlag.URX), exchange(r.path()).flags(), r.path());
            assertEquals("upstream_per_try_timeout", exchange(r.path()).responseCodeDetails());
        }
        // UT with URX: three tries each. On a loaded machine a try may time out before its request was written;
        // then the upstream never saw it, so what the backend saw is bounded rather than exact
        assertTrue(b.requests.size() <= 12, b.requests.toString());
        assertTrue(b.requests.stream().allMatch(r -> r.matches("GET /hang/[0-3] attempt=[123]")), b.requests.toString());
        assertTrue(b.accepted() <= 12, "accepts: " + b.accepted());
        eventually(() -> b.busy() == 0, "the gateway closing the connection of every abandoned try");
        assertNothingInFlight();
    }

    /**
     * Envoy's route timeout covers the whole response: a backend that sends its head and part of the body, then
     * stalls, has the downstream response reset at the timeout (flag UT), and its connection closed.
     */
    @Test
    void responseStalledMidBodyPastTheRouteTimeoutResetsTheDownstreamWithUT() {
        FaultBackend b = backend(Duration.ZERO, path -> Fault.STALL_BODY);
        h.apply(snapshot(staticService("default", "svc.test", b.port())));
        h.route(dest("svc.test"), ROUTE_TIMEOUT, RetryPolicy.ISTIO_DEFAULT);

        List<Future<Integer>> bodies = new ArrayList<>();
        List<AtomicInteger> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            AtomicInteger status = new AtomicInteger();
            statuses.add(status);
            String path = "/stall/" + i;
            bodies.add(h.onLoop(() -> client.request(new RequestOptions().setURI(path).setIdleTimeout(CLIENT_GUARD_MS))
                    .compose(req -> req.send())
                    .compose(resp -> {
                        status.set(resp.statusCode());
                        return resp.body().map(Buffer::length);
                    })));
        }
        for (int i = 0; i < 4; i++) {
            Throwable failure = bodies.get(i).toCompletionStage().toCompletableFuture()
                    .handle((v, t) -> t).join();
            assertTrue(failure != null, "the truncated body must fail at the client, not complete");
            assertEquals(200, statuses.get(i).get(), "the head had been forwarded");
            Exchange ex = exchange("/stall/" + i);
            assertEquals(Set.of(ResponseFlag.UT), ex.flags());
            assertEquals("upstream_response_timeout", ex.responseCodeDetails());
        }
        assertEquals(4, b.accepted());
        eventually(() -> b.busy() == 0 && b.open() == 0, "the gateway closing the stalled upstream connections");
        assertNothingInFlight();
    }

    /**
     * With an HTTP/2 client, a response cut by the route timeout resets only its own stream: the other requests on
     * the same client connection complete, and the connection carries the next ones.
     */
    @Test
    void stalledResponseResetsOnlyItsStreamOfAnHttp2ClientConnection() {
        FaultBackend b = backend(Duration.ZERO, path -> path.startsWith("/stall/") ? Fault.STALL_BODY : Fault.RESPOND);
        h.apply(snapshot(staticService("default", "svc.test", b.port())));
        ForwardAction stalls = Harness.action(dest("svc.test"), ROUTE_TIMEOUT, RetryPolicy.ISTIO_DEFAULT);
        ForwardAction others = Harness.action(dest("svc.test"), GENEROUS_TIMEOUT, RetryPolicy.ISTIO_DEFAULT);
        h.route = req -> req.path().startsWith("/stall/") ? stalls : others;
        HttpClient h2 = h.h2Client();
        Set<HttpConnection> used = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.function.Function<String, Future<String>> call = path -> h.onLoop(() -> h2.request(
                        new RequestOptions().setURI(path).setIdleTimeout(CLIENT_GUARD_MS))
                .compose(req -> {
                    used.add(req.connection());
                    return req.send();
                })
                .compose(resp -> resp.body().map(Buffer::toString)));

        Future<String> stalled = call.apply("/stall/0");
        Future<String> fine = call.apply("/ok/0");
        assertEquals("ok /ok/0", await(fine));
        Throwable cut = stalled.toCompletionStage().toCompletableFuture().handle((v, t) -> t).join();
        assertTrue(cut instanceof StreamResetException, "the stalled stream is reset: " + cut);
        // our own reset of the stream is not a downstream disconnect (no DC)
        assertEquals(Set.of(ResponseFlag.UT), exchange("/stall/0").flags());
        assertEquals("upstream_response_timeout", exchange("/stall/0").responseCodeDetails());
        assertEquals("ok /ok/1", await(call.apply("/ok/1")));
        assertEquals(1, used.size(), "one client connection throughout");
        eventually(() -> b.busy() == 0, "the stalled upstream connection closed");
        assertNothingInFlight();
    }

    /**
     * The backend dies while the client is still sending a request body (a raw socket that stops half way, waiting
     * for an answer): 503 UC at once, and the gateway closes the downstream connection it announced as closing
     * (Envoy's delayed close) instead of waiting forever for the rest of the body.
     */
    @Test
    void backendKilledWhileTheRequestBodyIsStillArrivingGives503UCAndClosesTheDownstream() throws IOException {
        FaultBackend b = backend(Duration.ZERO, path -> Fault.HANG);
        h.apply(snapshot(staticService("default", "svc.test", b.port())));
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);

        try (Socket raw = new Socket(InetAddress.getByName("127.0.0.1"), h.port)) {
            raw.setSoTimeout((int) CLIENT_GUARD_MS);
            OutputStream out = raw.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nhost: svc.test\r\ncontent-length: 200000\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[65_536]);
            out.flush();
            b.awaitRequests(1);
            b.kill();
            // read to end-of-stream: the guard's SocketTimeoutException would mean the gateway kept it open
            String reply = new String(raw.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(reply.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), reply);
            assertTrue(reply.contains("\r\nconnection: close\r\n"), reply);
            assertTrue(reply.endsWith("\r\n\r\n" + TERMINATION_BODY), reply);
        }
        assertEquals(Set.of(ResponseFlag.UC), h.exchanges.get(0).flags());
        assertEquals(TERMINATION_DETAILS, h.exchanges.get(0).responseCodeDetails());
        assertNothingInFlight();
    }

    // ---------------------------------------------------------------- slow

    /**
     * A slow backend answering within the route timeout: every request is a 200; 18 requests from 6 concurrent
     * clients reuse at most 6 kept-alive connections; http.idleTimeout then closes them all.
     */
    @Test
    void slowBackendUnderTheTimeoutAnswers200OverReusedConnectionsThatTheIdleTimeoutCloses() {
        FaultBackend b = backend(Duration.ofMillis(150), path -> Fault.SLOW);
        h.apply(snapshot(staticService("default", "svc.test", b.port()),
                rule("default", "idle", "svc.test", httpIdleTimeout(Duration.ofSeconds(1)))));
        // slow, but well under the timeout: no scheduling hiccup can turn it into a 504
        h.route(dest("svc.test"), GENEROUS_TIMEOUT, RetryPolicy.ISTIO_DEFAULT);

        List<Future<List<Reply>>> loops = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            loops.add(sequence("/slow/" + c + "/", 3, new ArrayList<>()));
        }
        List<Reply> all = loops.stream().flatMap(f -> await(f).stream()).toList();
        assertEquals(18, all.size());
        all.forEach(this::assertOk);
        assertEquals(18, b.requests.size(), "each request sent once");
        assertTrue(b.accepted() <= 6, "18 requests over keep-alive, accepts: " + b.accepted());
        assertNothingInFlight();
        eventually(() -> b.open() == 0, "http.idleTimeout closing the idle upstream connections");
    }

    private Future<List<Reply>> sequence(String prefix, int left, List<Reply> acc) {
        if (left == 0) {
            return Future.succeededFuture(acc);
        }
        return get(prefix + left).compose(r -> {
            acc.add(r);
            return sequence(prefix, left - 1, acc);
        });
    }

    // ---------------------------------------------------------------- resets

    /**
     * A backend that reads the request and answers with a TCP RST: Envoy reports the reset of an established
     * connection as connection termination (503 UC) and Istio's default policy does not retry it; the reset
     * connections are gone and later requests succeed.
     */
    @Test
    void resettingBackendGives503UCAndLaterRequestsSucceed() {
        FaultBackend b = backend(Duration.ZERO, path -> path.startsWith("/reset/") ? Fault.RESET : Fault.RESPOND);
        h.apply(snapshot(staticService("default", "svc.test", b.port())));
        h.route(dest("svc.test"), GENEROUS_TIMEOUT, RetryPolicy.ISTIO_DEFAULT);

        awaitAll(burst("/reset/", 6)).forEach(this::assertTermination);
        assertEquals(6, attemptsOf(b, "/reset/"), "a reset after the request was sent is not retried by default");
        assertEquals(6, b.accepted());
        assertEquals(0, b.open());
        assertNothingInFlight();

        awaitAll(burst("/ok/", 6)).forEach(this::assertOk);
        assertTrue(b.accepted() <= 12, "accepts: " + b.accepted());
        assertNothingInFlight();
    }

    // ---------------------------------------------------------------- everything at once

    private static final Fault[] MIX = {Fault.RESPOND, Fault.SLOW, Fault.RESPOND, Fault.HANG, Fault.RESPOND,
            Fault.RESET, Fault.SLOW, Fault.CLOSE, Fault.RESPOND, Fault.RESPOND};
    private static final Set<Fault> CONNECTION_ENDING = EnumSet.of(Fault.HANG, Fault.RESET, Fault.CLOSE);

    private static Fault faultOf(String path) {
        return Fault.valueOf(path.substring(1, path.indexOf('/', 1)).toUpperCase(Locale.ROOT));
    }

    /**
     * 40 requests from 8 concurrent keep-alive clients, each path naming its fault: each request gets exactly its
     * defined outcome; only the requests that end a connection (hang, reset, close) cost a new one, so accepts stay
     * at most those plus the concurrency, and every surviving connection is still pooled, none leaked or lost.
     */
    @Test
    void mixedFaultsUnderConcurrentLoadGiveEachRequestItsDefinedOutcome() {
        FaultBackend b = backend(Duration.ofMillis(50), BackendFailureTest::faultOf);
        h.apply(snapshot(staticService("default", "svc.test", b.port())));
        // the short route timeout only where the backend hangs, so that no other outcome depends on timing
        ForwardAction hangs = Harness.action(dest("svc.test"), ROUTE_TIMEOUT, RetryPolicy.ISTIO_DEFAULT);
        ForwardAction others = Harness.action(dest("svc.test"), GENEROUS_TIMEOUT, RetryPolicy.ISTIO_DEFAULT);
        h.route = req -> req.path().startsWith("/hang/") ? hangs : others;

        int clients = 8;
        int perClient = 5;
        List<Future<List<Reply>>> loops = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            loops.add(mixed(c * perClient, perClient, new ArrayList<>()));
        }
        List<Reply> all = loops.stream().flatMap(f -> await(f).stream()).toList();
        assertEquals(clients * perClient, all.size());
        int ending = 0;
        for (Reply r : all) {
            Fault f = faultOf(r.path());
            switch (f) {
                case RESPOND, SLOW -> assertOk(r);
                case HANG -> assertRouteTimeout(r);
                case RESET, CLOSE -> assertTermination(r);
            }
            if (CONNECTION_ENDING.contains(f)) {
                ending++;
            }
        }
        assertEquals(12, ending);
        assertEquals(all.size(), b.requests.size(), "no request was sent twice (Istio's default retries none)");
        int accepts = b.accepted();
        assertTrue(accepts <= ending + clients, accepts + " accepts for " + all.size() + " requests");
        int endingCount = ending;
        eventually(() -> b.open() == accepts - endingCount,
                "exactly the connections not ended by a fault still open (pooled)");
        assertNothingInFlight();
    }

    private Future<List<Reply>> mixed(int index, int left, List<Reply> acc) {
        if (left == 0) {
            return Future.succeededFuture(acc);
        }
        String path = "/" + MIX[index % MIX.length].name().toLowerCase(Locale.ROOT) + "/" + index;
        return get(path).compose(r -> {
            acc.add(r);
            return mixed(index + 1, left - 1, acc);
        });
    }

    // ---------------------------------------------------------------- HTTP/2 upstreams

    /** A Vert.x h2c (prior knowledge) backend that counts its connections and the streams the gateway reset. */
    private static final class H2Backend {
        final HttpServer server;
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger streamsReset = new AtomicInteger();
        final List<String> attempts = new CopyOnWriteArrayList<>();
        final Semaphore arrivals = new Semaphore(0);

        H2Backend(Harness h, Handler<HttpServerRequest> handler) {
            server = h.vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
            server.connectionHandler(c -> {
                accepted.incrementAndGet();
                open.incrementAndGet();
                c.closeHandler(v -> open.decrementAndGet());
            });
            server.requestHandler(req -> {
                assertEquals(HttpVersion.HTTP_2, req.version());
                attempts.add(req.path() + " attempt=" + req.getHeader("x-envoy-attempt-count"));
                req.response().exceptionHandler(t -> {
                    if (t instanceof StreamResetException) {
                        streamsReset.incrementAndGet();
                    }
                });
                arrivals.release();
                handler.handle(req);
            });
            await(server.listen());
        }

        int port() {
            return server.actualPort();
        }

        void awaitRequests(int n) throws InterruptedException {
            assertTrue(arrivals.tryAcquire(n, 10, TimeUnit.SECONDS), "requests at the h2 backend");
        }
    }

    private void h2Service(H2Backend b) {
        h.apply(snapshot(staticService("default", "svc.test", Fixtures.port(80, "http2", Protocol.HTTP2), b.port())));
    }

    /**
     * Over HTTP/2 a hanging backend costs no connection: at the route timeout each request gets 504 UT and only its
     * stream is reset (the backend sees every reset), the multiplexed connection stays and carries the next
     * requests.
     */
    @Test
    void hangingHttp2BackendGets504UTAndOnlyTheStreamsAreReset() throws InterruptedException {
        AtomicBoolean hang = new AtomicBoolean(true);
        H2Backend b = new H2Backend(h, req -> {
            if (!hang.get()) {
                req.response().end("ok " + req.path());
            }
        });
        h2Service(b);
        h.route(dest("svc.test"), ROUTE_TIMEOUT, RetryPolicy.ISTIO_DEFAULT);

        awaitAll(burst("/hang/", 6)).forEach(this::assertRouteTimeout);
        assertEquals(6, b.attempts.size(), "a route timeout is not retried");
        eventually(() -> b.streamsReset.get() == 6, "the backend seeing each timed-out stream reset");
        int accepts = b.accepted.get();
        // UpstreamClients keeps at most 4 HTTP/2 connections per endpoint and event loop
        assertTrue(accepts <= 4, "multiplexed: " + accepts + " connections");
        assertEquals(accepts, b.open.get(), "a stream timeout does not close the HTTP/2 connection");
        assertNothingInFlight();

        hang.set(false);
        awaitAll(burst("/ok/", 6)).forEach(this::assertOk);
        assertEquals(accepts, b.accepted.get(), "the next requests reuse the connections");
    }

    /**
     * A backend refusing a stream (RST_STREAM REFUSED_STREAM: it never processed it) is retried by Istio's default
     * policy (refused-stream); any other stream reset is Envoy's 503 UR with reset reason "remote reset".
     */
    @Test
    void http2StreamResetsRefusedIsRetriedOtherCodesAre503UR() {
        H2Backend b = new H2Backend(h, req -> {
            boolean first = "1".equals(req.getHeader("x-envoy-attempt-count"));
            if (req.path().startsWith("/refused/") && first) {
                req.response().reset(7);
            } else if (req.path().startsWith("/internal/")) {
                req.response().reset(2);
            } else {
                req.response().end("ok " + req.path());
            }
        });
        h2Service(b);
        h.route(dest("svc.test"), GENEROUS_TIMEOUT, RetryPolicy.ISTIO_DEFAULT);

        awaitAll(burst("/refused/", 4)).forEach(this::assertOk);
        assertEquals(8, b.attempts.stream().filter(a -> a.startsWith("/refused/")).count(), "each refused once, then retried");
        for (Reply r : awaitAll(burst("/internal/", 4))) {
            assertEquals(503, r.status(), r.path());
            assertEquals("upstream connect error or disconnect/reset before headers. reset reason: remote reset",
                    r.body());
            assertEquals(Set.of(ResponseFlag.UR), exchange(r.path()).flags(), r.path());
            assertEquals("upstream_reset_before_response_started{remote_reset}",
                    exchange(r.path()).responseCodeDetails());
        }
        assertEquals(4, b.attempts.stream().filter(a -> a.startsWith("/internal/")).count(), "not retried");
        assertEquals(b.accepted.get(), b.open.get(), "stream resets do not cost connections");
        assertNothingInFlight();
    }

    /** An HTTP/2 backend going away with streams in flight: every one of them is 503 UC, none retried. */
    @Test
    void http2BackendClosedWithStreamsInFlightGives503UCForEach() throws InterruptedException {
        H2Backend b = new H2Backend(h, req -> { });
        h2Service(b);
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);

        List<Future<Reply>> inFlight = burst("/inflight/", 6);
        b.awaitRequests(6);
        await(b.server.close());
        awaitAll(inFlight).forEach(this::assertTermination);
        assertEquals(6, b.attempts.size());
        assertEquals(0, b.open.get());
        assertNothingInFlight();
    }
}

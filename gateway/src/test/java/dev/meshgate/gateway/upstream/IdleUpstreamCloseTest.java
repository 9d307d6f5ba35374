package dev.meshgate.gateway.upstream;

import dev.meshgate.config.model.networking.ConnectionPoolSettings;
import dev.meshgate.config.model.networking.HTTPSettings;
import dev.meshgate.config.model.networking.TrafficPolicy;
import dev.meshgate.gateway.exchange.ResponseFlag;
import dev.meshgate.gateway.route.RetryPolicy;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.meshgate.gateway.upstream.Fixtures.dest;
import static dev.meshgate.gateway.upstream.Fixtures.rule;
import static dev.meshgate.gateway.upstream.Fixtures.snapshot;
import static dev.meshgate.gateway.upstream.Fixtures.staticService;
import static dev.meshgate.gateway.upstream.Harness.await;
import static dev.meshgate.gateway.upstream.Harness.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Users' top complaint (istio-api.md §4 item 1): 503 UC when an upstream closes an idle keep-alive connection
 * just as the gateway reuses it. Two remedies: an idle timeout below the backend's (the gateway closes first),
 * and retryOn reset-before-request (the request that never reached the application is sent again).
 */
class IdleUpstreamCloseTest {

    private final Harness h = new Harness();
    private final HttpClient client = h.client();

    @AfterEach
    void close() {
        h.close();
    }

    private record Reply(int status, String body) {
    }

    private Reply get(String uri) {
        return await(h.onLoop(() -> client.request(new RequestOptions().setURI(uri)).compose(req -> req.send())
                .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), b.toString())))));
    }

    private static TrafficPolicy httpIdle(Duration idle) {
        HTTPSettings http = new HTTPSettings(0, 0, 0, 0, idle, null, false, 0, null);
        return new TrafficPolicy(null, new ConnectionPoolSettings(null, http), null, null, null, null, null, null);
    }

    @Test
    void idleTimeoutBelowTheBackendsMeansTheGatewayClosesIdleConnectionsFirst() {
        // the backend would close idle connections only after 60s; the gateway's http.idleTimeout is 1s
        Set<SocketAddress> opened = ConcurrentHashMap.newKeySet();
        AtomicInteger closed = new AtomicInteger();
        HttpServer backend = h.vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                .setIdleTimeout(60));
        backend.connectionHandler(c -> c.closeHandler(v -> closed.incrementAndGet()));
        backend.requestHandler(req -> {
            opened.add(req.connection().remoteAddress());
            req.response().end("ok");
        });
        int b = await(backend.listen()).actualPort();
        h.apply(snapshot(staticService("default", "svc.test", b),
                rule("default", "idle", "svc.test", httpIdle(Duration.ofSeconds(1)))));
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);

        assertEquals(200, get("/1").status());
        // well before the backend's 60s: only the gateway can have closed it
        eventually(() -> closed.get() == 1, "the gateway closing its idle upstream connection");
        assertEquals(200, get("/2").status());
        assertEquals(2, opened.size(), "the second request used a fresh connection");
        assertTrue(h.exchanges.stream().noneMatch(e -> e.flags().contains(ResponseFlag.UC)));
    }

    /**
     * A backend whose idle timer fires as the next request arrives: the first request on a connection is
     * answered with keep-alive, the second finds the connection closed without a byte of response. A request for
     * /crash is dropped even on a fresh connection (it reached the application, which then died).
     */
    private int racingBackend(List<String> attempts) {
        NetServer server = h.vertx.createNetServer();
        server.connectHandler(sock -> serve(sock, attempts));
        return await(server.listen(0, "127.0.0.1")).actualPort();
    }

    private static void serve(NetSocket sock, List<String> attempts) {
        int[] requests = {0};
        Buffer[] acc = {Buffer.buffer()};
        sock.handler(chunk -> {
            acc[0].appendBuffer(chunk);
            String text = acc[0].toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                return;
            }
            acc[0] = Buffer.buffer();
            requests[0]++;
            String head = text.substring(0, end);
            String attempt = head.lines().filter(l -> l.toLowerCase().startsWith("x-envoy-attempt-count:"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
            attempts.add(head.lines().findFirst().orElse("") + " try " + attempt + " on request " + requests[0]);
            if (requests[0] > 1 || head.startsWith("GET /crash")) {
                sock.close();
            } else {
                sock.write("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
            }
        });
    }

    @Test
    void withIstioDefaultRetriesAReusedConnectionClosedByTheUpstreamGives503UC() {
        List<String> attempts = new CopyOnWriteArrayList<>();
        int b = racingBackend(attempts);
        h.apply(snapshot(staticService("default", "svc.test", b)));
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);

        assertEquals(200, get("/1").status());
        Reply second = get("/2");
        assertEquals(503, second.status());
        assertTrue(second.body().contains("reset reason: connection termination"), second.body());
        assertEquals(Set.of(ResponseFlag.UC), h.lastExchange().flags());
        assertEquals("upstream_reset_before_response_started{connection_termination}",
                h.lastExchange().responseCodeDetails());
    }

    @Test
    void resetBeforeRequestRetriesTheRequestThatNeverReachedTheUpstream() {
        List<String> attempts = new CopyOnWriteArrayList<>();
        int b = racingBackend(attempts);
        h.apply(snapshot(staticService("default", "svc.test", b)));
        h.route(dest("svc.test"), null, new RetryPolicy(2, null,
                Set.of("connect-failure", "refused-stream", "unavailable", "cancelled", "reset-before-request"),
                Set.of(), Duration.ofMillis(1), true));

        for (int i = 0; i < 3; i++) {
            Reply r = get("/" + i);
            assertEquals(200, r.status(), "request " + i);
            assertEquals("ok", r.body());
        }
        assertTrue(h.exchanges.stream().noneMatch(e -> e.flags().contains(ResponseFlag.UC)));
        // requests 2 and 3 each found the kept-alive connection closed, and were sent again on a new one
        assertEquals(List.of("GET /0 HTTP/1.1 try 1 on request 1", "GET /1 HTTP/1.1 try 1 on request 2",
                "GET /1 HTTP/1.1 try 2 on request 1", "GET /2 HTTP/1.1 try 1 on request 2",
                "GET /2 HTTP/1.1 try 2 on request 1"), attempts);
    }

    @Test
    void resetBeforeRequestDoesNotRetryARequestThatReachedTheUpstream() {
        List<String> attempts = new CopyOnWriteArrayList<>();
        int b = racingBackend(attempts);
        h.apply(snapshot(staticService("default", "svc.test", b)));
        h.route(dest("svc.test"), null, new RetryPolicy(2, null, Set.of("reset-before-request"), Set.of(),
                Duration.ofMillis(1), true));

        Reply r = get("/crash");
        assertEquals(503, r.status());
        assertEquals(Set.of(ResponseFlag.UC), h.lastExchange().flags());
        assertEquals(1, attempts.size(), "a fresh connection's request is not sent twice: " + attempts);
    }
}

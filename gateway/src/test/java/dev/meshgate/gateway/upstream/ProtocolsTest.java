package dev.meshgate.gateway.upstream;

import dev.meshgate.config.model.networking.ConsistentHashLB;
import dev.meshgate.config.model.networking.HTTPCookie;
import dev.meshgate.config.model.networking.LoadBalancerSettings;
import dev.meshgate.config.model.networking.Protocol;
import dev.meshgate.gateway.exchange.ResponseFlag;
import dev.meshgate.gateway.route.RetryPolicy;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.meshgate.gateway.upstream.Fixtures.dest;
import static dev.meshgate.gateway.upstream.Fixtures.lb;
import static dev.meshgate.gateway.upstream.Fixtures.port;
import static dev.meshgate.gateway.upstream.Fixtures.rule;
import static dev.meshgate.gateway.upstream.Fixtures.snapshot;
import static dev.meshgate.gateway.upstream.Fixtures.staticService;
import static dev.meshgate.gateway.upstream.Harness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gRPC over h2c with trailers, WebSocket tunnelling, and consistent-hash affinity through the gateway. */
class ProtocolsTest {

    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void grpcTrailersReachTheClientAndUnavailableIsRetried() {
        AtomicInteger calls = new AtomicInteger();
        int b = h.backend(req -> {
            assertEquals(HttpVersion.HTTP_2, req.version());
            req.body().onSuccess(body -> {
                if (calls.incrementAndGet() == 1) {
                    // trailers-only answer: grpc-status in the headers, which the default policy retries
                    req.response().putHeader("content-type", "application/grpc").putHeader("grpc-status", "14").end();
                    return;
                }
                req.response().putHeader("content-type", "application/grpc")
                        .putTrailer("grpc-status", "0").putTrailer("grpc-message", "fine")
                        .end(Buffer.buffer("reply:").appendBuffer(body));
            });
        });
        h.apply(snapshot(staticService("default", "grpc.test", port(50051, "grpc", Protocol.GRPC), b)));
        h.route(dest("grpc.test"), null, RetryPolicy.ISTIO_DEFAULT);
        HttpClient client = h.h2Client();
        record Answer(int status, String body, MultiMap trailers, HttpVersion version) {
        }
        Answer a = await(h.onLoop(() -> client.request(new RequestOptions().setMethod(HttpMethod.POST)
                        .setURI("/pkg.Svc/Call").putHeader("content-type", "application/grpc"))
                .compose(req -> req.send(Buffer.buffer("ping")))
                .compose(resp -> resp.body().map(body -> new Answer(resp.statusCode(), body.toString(), resp.trailers(),
                        resp.version())))));
        assertEquals(HttpVersion.HTTP_2, a.version());
        assertEquals(200, a.status());
        assertEquals("reply:ping", a.body());
        assertEquals("0", a.trailers().get("grpc-status"));
        assertEquals("fine", a.trailers().get("grpc-message"));
        assertEquals(2, calls.get());
    }

    @Test
    void grpcBidirectionalStreamFlowsMessageByMessage() throws Exception {
        int b = h.backend(req -> {
            req.response().putHeader("content-type", "application/grpc").setChunked(true);
            req.handler(chunk -> req.response().write(Buffer.buffer("echo:").appendBuffer(chunk)));
            req.endHandler(v -> req.response().putTrailer("grpc-status", "0").end());
        });
        h.apply(snapshot(staticService("default", "grpc.test", port(50051, "grpc-echo", null), b)));
        h.route(dest("grpc.test"), null, RetryPolicy.ISTIO_DEFAULT);
        HttpClient client = h.h2Client();
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        CompletableFuture<String> status = new CompletableFuture<>();
        HttpClientRequest req = await(h.onLoop(() -> client.request(new RequestOptions().setMethod(HttpMethod.POST)
                .setURI("/pkg.Svc/Chat")).map(r -> {
                    r.response().onSuccess(resp -> {
                        resp.handler(chunk -> received.add(chunk.toString()));
                        resp.endHandler(v -> status.complete(resp.trailers().get("grpc-status")));
                    });
                    r.setChunked(true);
                    r.write("m1");
                    return r;
                })));
        // the second message is only sent after the first echo came back through the gateway
        assertEquals("echo:m1", received.poll(10, TimeUnit.SECONDS));
        await(h.onLoop(() -> req.write("m2")));
        assertEquals("echo:m2", received.poll(10, TimeUnit.SECONDS));
        await(h.onLoop(req::end));
        assertEquals("0", status.get(10, TimeUnit.SECONDS));
    }

    @Test
    void webSocketEchoThroughTheGateway() throws Exception {
        HttpServer ws = h.vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
        LinkedBlockingQueue<String> hostSeen = new LinkedBlockingQueue<>();
        ws.webSocketHandler(sock -> {
            hostSeen.add(String.valueOf(sock.authority()));
            sock.textMessageHandler(msg -> sock.writeTextMessage("echo:" + msg));
        });
        int b = await(ws.listen()).actualPort();
        h.apply(snapshot(staticService("default", "svc.test", b)));
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);
        WebSocketClient wsClient = h.vertx.createWebSocketClient();
        WebSocket socket = await(h.onLoop(() -> wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
                .setPort(h.port).setURI("/chat"))));
        LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        socket.textMessageHandler(messages::add);
        socket.writeTextMessage("hello");
        assertEquals("echo:hello", messages.poll(10, TimeUnit.SECONDS));
        socket.writeTextMessage("again");
        assertEquals("echo:again", messages.poll(10, TimeUnit.SECONDS));
        assertEquals("svc.test", hostSeen.poll(10, TimeUnit.SECONDS));
        assertEquals("via_upstream", h.lastExchange().responseCodeDetails());
        await(socket.close());
    }

    @Test
    void webSocketRejectedByTheBackendIsRelayed() {
        int b = h.backend(req -> req.response().setStatusCode(403).end("no"));
        h.apply(snapshot(staticService("default", "svc.test", b)));
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);
        WebSocketClient wsClient = h.vertx.createWebSocketClient();
        Throwable t = h.onLoop(() -> wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(h.port)
                        .setURI("/x"))).toCompletionStage().toCompletableFuture().handle((s, e) -> e).join();
        assertNotNull(t);
        assertTrue(t.getMessage().contains("403"), t.getMessage());
    }

    private String backendName(HttpClient client, String uri, MultiMap headers, List<String> setCookie) {
        return await(h.onLoop(() -> client.request(new RequestOptions().setURI(uri).setHeaders(headers))
                .compose(HttpClientRequest::send)
                .compose(resp -> {
                    setCookie.addAll(resp.headers().getAll("set-cookie"));
                    return resp.body();
                }))).toString();
    }

    private int[] threeNamedBackends() {
        int[] ports = new int[3];
        for (int i = 0; i < 3; i++) {
            String name = "b" + i;
            ports[i] = h.backend(req -> req.response().end(name));
        }
        return ports;
    }

    @Test
    void cookieAffinityGeneratesTheCookieThenSticks() {
        int[] ports = threeNamedBackends();
        var cookie = new HTTPCookie("session", "/", Duration.ofSeconds(60), List.of());
        h.apply(snapshot(staticService("default", "svc.test", ports),
                rule("default", "dr", "svc.test", lb(new LoadBalancerSettings(null,
                        new ConsistentHashLB(null, cookie, null, null, null, null, null), null, null, null, null)))));
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);
        HttpClient client = h.client();
        List<String> setCookie = new java.util.ArrayList<>();
        String first = backendName(client, "/", MultiMap.caseInsensitiveMultiMap(), setCookie);
        assertEquals(1, setCookie.size());
        String sc = setCookie.get(0);
        assertTrue(sc.matches("session=\"[0-9a-f]{16}\"; Max-Age=60; Path=/; HttpOnly"), sc);
        String value = sc.substring("session=\"".length(), sc.indexOf('"', "session=\"".length()));
        for (int i = 0; i < 20; i++) {
            List<String> none = new java.util.ArrayList<>();
            assertEquals(first, backendName(client, "/", MultiMap.caseInsensitiveMultiMap().add("cookie", "session=" + value), none));
            assertTrue(none.isEmpty(), "no new cookie when the client sends one");
        }
        // different cookie values spread over the backends
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            seen.add(backendName(client, "/", MultiMap.caseInsensitiveMultiMap().add("cookie", "session=user" + i),
                    new java.util.ArrayList<>()));
        }
        assertEquals(3, seen.size());
    }

    @Test
    void headerAndQueryHashesAreSticky() {
        int[] ports = threeNamedBackends();
        h.apply(snapshot(staticService("default", "svc.test", ports),
                rule("default", "dr", "svc.test", lb(new LoadBalancerSettings(null,
                        new ConsistentHashLB("x-user", null, null, null, null, null, null), null, null, null, null))),
                staticService("default", "q.test", ports),
                rule("default", "dq", "q.test", lb(new LoadBalancerSettings(null,
                        new ConsistentHashLB(null, null, null, "user", null, new dev.meshgate.config.model.networking.MagLev(null), null),
                        null, null, null, null)))));
        HttpClient client = h.client();
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);
        Set<String> spread = new HashSet<>();
        for (int u = 0; u < 30; u++) {
            MultiMap hdr = MultiMap.caseInsensitiveMultiMap().add("x-user", "u" + u);
            String first = backendName(client, "/", hdr, new java.util.ArrayList<>());
            spread.add(first);
            for (int i = 0; i < 3; i++) {
                assertEquals(first, backendName(client, "/", hdr, new java.util.ArrayList<>()));
            }
        }
        assertEquals(3, spread.size());
        h.route(dest("q.test"), null, RetryPolicy.ISTIO_DEFAULT);
        String q = backendName(client, "/p?a=1&user=alice", MultiMap.caseInsensitiveMultiMap(), new java.util.ArrayList<>());
        for (int i = 0; i < 10; i++) {
            assertEquals(q, backendName(client, "/other?user=alice&b=" + i, MultiMap.caseInsensitiveMultiMap(),
                    new java.util.ArrayList<>()));
        }
        assertTrue(h.lastExchange().flags().isEmpty() || !h.lastExchange().flags().contains(ResponseFlag.NC));
    }
}

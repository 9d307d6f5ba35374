package dev.meshgate.gateway.observe;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.GoAway;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Envoy's downstream drain on real sockets: HTTP/1.1 responses written while draining say {@code Connection: close}
 * and their connection closes after them (also for a request that was in flight when the drain began); before
 * the drain, keep-alive is untouched; HTTP/2 connections get a GOAWAY with the highest stream id and every stream,
 * old or new, still completes; new connections are still served.
 */
class DrainingConnectionsTest {

    private Vertx vertx;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger closedConnections = new AtomicInteger();
    /** Requests to /slow, answered when the test says so. */
    private final List<HttpServerRequest> slow = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> slowArrived = new CompletableFuture<>();
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        DrainingConnections drain = new DrainingConnections(draining::get, 10_000);
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(true))
                .connectionHandler(c -> {
                    connections.incrementAndGet();
                    c.closeHandler(v -> closedConnections.incrementAndGet());
                })
                .requestHandler(req -> {
                    drain.watch(req, req.response());
                    if (req.path().equals("/slow")) {
                        slow.add(req);
                        slowArrived.complete(null);
                    } else {
                        req.response().end("ok");
                    }
                });
        port = await(server.listen(0, "127.0.0.1")).actualPort();
    }

    @AfterEach
    void tearDown() throws Exception {
        await(vertx.close());
    }

    @Test
    void http11ResponsesSayConnectionCloseAndTheConnectionClosesOnlyWhileDraining() throws Exception {
        RawConnection before = RawConnection.open(vertx, port);
        before.send("GET /ok HTTP/1.1\r\nHost: a\r\n\r\n");
        String first = before.awaitResponses(1);
        assertFalse(first.toLowerCase(Locale.ROOT).contains("connection: close"), first);
        before.send("GET /ok HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(2, countOf(before.awaitResponses(2), "HTTP/1.1 200"), "keep-alive before the drain");
        assertFalse(before.closed.isDone());

        // a request in flight when the drain starts
        before.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
        slowArrived.get(10, TimeUnit.SECONDS);
        draining.set(true);

        // a new connection during the drain is still served, told to close, and closed
        RawConnection during = RawConnection.open(vertx, port);
        during.send("GET /ok HTTP/1.1\r\nHost: a\r\n\r\n");
        during.closed.get(10, TimeUnit.SECONDS);
        String resp = during.text().toLowerCase(Locale.ROOT);
        assertTrue(resp.startsWith("http/1.1 200"), resp);
        assertTrue(resp.contains("connection: close"), resp);

        // the in-flight one completes, says close, and its connection closes after it
        vertx.runOnContext(v -> slow.get(0).response().end("late"));
        before.closed.get(10, TimeUnit.SECONDS);
        String all = before.text();
        assertEquals(3, countOf(all, "HTTP/1.1 200"), all);
        assertTrue(all.toLowerCase(Locale.ROOT).contains("connection: close\r\n"), all);
        assertTrue(all.endsWith("late"), all);
    }

    @Test
    void http2ConnectionsGetAGoAwayAndEveryStreamCompletes() throws Exception {
        Context ctx = vertx.getOrCreateContext();
        CompletableFuture<GoAway> goAway = new CompletableFuture<>();
        HttpClient client = vertx.httpClientBuilder()
                .with(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false))
                .with(new PoolOptions().setHttp2MaxSize(1))
                .withConnectHandler(c -> c.goAwayHandler(goAway::complete))
                .build();

        CompletableFuture<String> inFlight = get(ctx, client, "/slow");
        slowArrived.get(10, TimeUnit.SECONDS);
        assertEquals("200 HTTP_2 ok", get(ctx, client, "/ok").get(10, TimeUnit.SECONDS));
        assertFalse(goAway.isDone(), "no GOAWAY before the drain");

        draining.set(true);
        assertEquals("200 HTTP_2 ok", get(ctx, client, "/ok").get(10, TimeUnit.SECONDS));
        GoAway g = goAway.get(10, TimeUnit.SECONDS);
        assertEquals(0, g.getErrorCode(), "NO_ERROR");
        assertEquals(Integer.MAX_VALUE, g.getLastStreamId(), "a shutdown notice refuses no stream");

        vertx.runOnContext(v -> slow.get(0).response().end("late"));
        assertEquals("200 HTTP_2 late", inFlight.get(10, TimeUnit.SECONDS), "the stream in flight completes");
        // the client moves to a new connection, which is still accepted and served
        assertEquals("200 HTTP_2 ok", get(ctx, client, "/ok").get(10, TimeUnit.SECONDS));
        assertEquals(2, connections.get());
    }

    private CompletableFuture<String> get(Context ctx, HttpClient client, String path) {
        CompletableFuture<String> out = new CompletableFuture<>();
        // started on one event-loop context: Vert.x 5.0.7 clients driven from plain threads can miss responses
        ctx.runOnContext(v -> client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
                        .setPort(port).setURI(path))
                .compose(r -> r.send())
                .compose(resp -> resp.body().map(b -> resp.statusCode() + " " + resp.version() + " " + b))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        out.complete(ar.result());
                    } else {
                        out.completeExceptionally(ar.cause());
                    }
                }));
        return out;
    }

    private static int countOf(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A plain socket, to see exactly what goes over the wire and when the server closes. */
    private static final class RawConnection {
        final NetSocket socket;
        final StringBuffer received = new StringBuffer();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        private volatile Promise<Void> change = Promise.promise();

        private RawConnection(NetSocket socket) {
            this.socket = socket;
        }

        static RawConnection open(Vertx vertx, int port) throws Exception {
            RawConnection c = new RawConnection(await(vertx.createNetClient().connect(port, "127.0.0.1")));
            c.socket.handler(b -> {
                c.received.append(b.toString());
                c.change.tryComplete();
            });
            c.socket.closeHandler(v -> {
                c.closed.complete(null);
                c.change.tryComplete();
            });
            return c;
        }

        void send(String s) throws Exception {
            await(socket.write(Buffer.buffer(s)));
        }

        String text() {
            return received.toString();
        }

        /** Waits (bounded) until {@code n} complete "ok" responses were received. */
        String awaitResponses(int n) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (countOf(text(), "\r\n\r\nok") < n && System.nanoTime() < deadline && !closed.isDone()) {
                Promise<Void> p = Promise.promise();
                change = p;
                if (countOf(text(), "\r\n\r\nok") >= n) {
                    break;
                }
                try {
                    p.future().toCompletionStage().toCompletableFuture().get(100, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException again) {
                    // bounded loop on the condition
                }
            }
            return text();
        }
    }
}

package dev.meshgate.gateway.observe;

import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.exchange.ResponseFlag;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthAndDrainTest {

    Vertx vertx;
    HttpClient client;
    io.vertx.core.Context clientContext;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        client = vertx.createHttpClient();
        clientContext = vertx.getOrCreateContext();
    }

    @AfterEach
    void tearDown() throws Exception {
        MixServer.await(vertx.close());
    }

    private String get(int port, String path) throws Exception {
        // started on one event loop: Vert.x 5.0.7 clients driven from plain threads now and then miss a response
        // on a reused keep-alive connection
        io.vertx.core.Promise<String> result = io.vertx.core.Promise.promise();
        clientContext.runOnContext(v -> client.request(HttpMethod.GET, port, "127.0.0.1", path)
                .compose(r -> r.send())
                .compose(resp -> resp.body().map(b -> resp.statusCode() + " " + b.toString().trim()))
                .onComplete(result));
        return MixServer.await(result.future());
    }

    @Test
    void readinessFollowsConfigListenersAndDrain() throws Exception {
        HealthState state = new HealthState();
        HealthEndpoint ep = MixServer.await(new HealthEndpoint(state).start(vertx, "127.0.0.1", 0));
        int port = ep.actualPort();
        assertEquals("503 no configuration applied yet", get(port, "/healthz/ready"));
        state.configApplied(1, false);
        assertEquals("503 not every listener is bound", get(port, "/healthz/ready"));
        state.listenersBound(true);
        assertEquals("200 ", get(port, "/healthz/ready"));
        assertTrue(state.ready());
        state.configApplied(2, true);
        assertEquals("200 ", get(port, "/healthz/ready"));
        assertEquals(2, state.appliedVersion());
        assertEquals("404 ", get(port, "/healthz/live"));
        state.startDraining();
        assertEquals("503 draining", get(port, "/healthz/ready"));
        state.configApplied(3, true);
        assertEquals("503 draining", get(port, "/healthz/ready"), "draining is for good");
        MixServer.await(ep.stop());
    }

    @Test
    void drainTurnsUnreadyKeepsServingAndWaitsForInFlight() throws Exception {
        HealthState state = new HealthState();
        state.configApplied(1, true);
        InFlightRequests inFlight = new InFlightRequests();
        MixServer mix = new MixServer(vertx, new ExchangeTracker(inFlight));
        int port = mix.start();
        HealthEndpoint ep = MixServer.await(new HealthEndpoint(state).start(vertx, "127.0.0.1", 0));

        // one request that the "upstream" has not answered yet
        Future<String> slow = client.request(HttpMethod.GET, port, "127.0.0.1", "/hang")
                .compose(r -> r.send()).compose(resp -> resp.body().map(b -> resp.statusCode() + " " + b));
        for (int i = 0; i < 500 && inFlight.count() < 1; i++) {
            Thread.sleep(10); // bounded poll on the condition
        }
        assertEquals(1, inFlight.count());

        AtomicLong inFlightAtStop = new AtomicLong(-1);
        AtomicInteger stops = new AtomicInteger();
        DrainController drain = new DrainController(vertx, state, inFlight, Duration.ofMillis(100),
                Duration.ofSeconds(10), () -> {
                    stops.incrementAndGet();
                    inFlightAtStop.set(inFlight.count());
                    return mix.server.close();
                });
        Future<Void> drained = drain.drain();
        assertSame(drained, drain.drain(), "idempotent");
        assertEquals("503 draining", get(ep.actualPort(), "/healthz/ready"));
        // still serving new requests while draining
        assertEquals(200, mix.send(HttpMethod.POST, "/ok", "reviews.example.com", "ping", null));
        assertFalse(drained.isComplete());

        // the upstream answers only after the drain period has passed; the drain must have waited for it
        vertx.setTimer(300, t -> {
            Exchange ex = mix.hanging.get(0);
            ex.request().response().end("late");
        });
        assertEquals("200 late", MixServer.await(slow));
        drained.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(1, stops.get());
        assertEquals(0, inFlightAtStop.get());
        MixServer.await(ep.stop());
    }

    @Test
    void drainStopsAnywayAfterTheInFlightLimit() throws Exception {
        HealthState state = new HealthState();
        InFlightRequests inFlight = new InFlightRequests();
        MixServer mix = new MixServer(vertx, new ExchangeTracker(inFlight));
        int port = mix.start();
        client.request(HttpMethod.GET, port, "127.0.0.1", "/hang").compose(r -> r.send());
        for (int i = 0; i < 500 && inFlight.count() < 1; i++) {
            Thread.sleep(10);
        }
        AtomicLong inFlightAtStop = new AtomicLong(-1);
        DrainController drain = new DrainController(vertx, state, inFlight, Duration.ZERO, Duration.ofMillis(50),
                () -> {
                    inFlightAtStop.set(inFlight.count());
                    return Future.succeededFuture();
                });
        drain.drain().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(1, inFlightAtStop.get());
        mix.close();
    }

    @Test
    void downstreamCloseCompletesOnceWithDcAndCodeZero() throws Exception {
        InFlightRequests inFlight = new InFlightRequests();
        CompletableFuture<String> completed = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        ExchangeObserver recorder = (ex, code) -> {
            calls.incrementAndGet();
            completed.complete(code + " " + ex.flagsString() + " " + ex.ended());
        };
        MixServer mix = new MixServer(vertx, new ExchangeTracker(CompositeObserver.of(inFlight, recorder)));
        int port = mix.start();
        NetSocket sock = MixServer.await(vertx.createNetClient().connect(port, "127.0.0.1"));
        MixServer.await(sock.write(Buffer.buffer("GET /hang HTTP/1.1\r\nHost: a.example.com\r\n\r\n")));
        for (int i = 0; i < 500 && inFlight.count() < 1; i++) {
            Thread.sleep(10);
        }
        assertEquals(1, inFlight.count());
        MixServer.await(sock.close());
        assertEquals("0 DC true", completed.get(10, TimeUnit.SECONDS));
        for (int i = 0; i < 500 && inFlight.count() > 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(0, inFlight.count());
        assertTrue(mix.hanging.get(0).flags().contains(ResponseFlag.DC));
        // ending the dead response later must not report the exchange a second time
        CompletableFuture<Void> late = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            try {
                mix.hanging.get(0).request().response().end();
            } catch (IllegalStateException ignored) {
                // closed response: Vert.x may refuse
            }
            late.complete(null);
        });
        late.get(5, TimeUnit.SECONDS);
        assertEquals(1, calls.get());
        mix.close();
    }
}

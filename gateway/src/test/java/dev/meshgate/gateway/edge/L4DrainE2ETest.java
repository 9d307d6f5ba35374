package dev.meshgate.gateway.edge;

import dev.meshgate.gateway.observe.DrainController;
import dev.meshgate.gateway.observe.ObserveOptions;
import dev.meshgate.gateway.observe.Observability;
import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.testing.GatewayHarness;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The drain counts open TCP-route connections as in flight (pilot-agent's EXIT_ON_ZERO_ACTIVE_CONNECTIONS): an
 * open connection keeps the drain from stopping the gateway until the client closes it, and one still open at the
 * in-flight limit is closed by the stop.
 */
class L4DrainE2ETest {

    Vertx vertx;
    Context ctx;
    Observability obs;
    GatewayHarness gw;
    NetClient client;

    @BeforeEach
    void start() {
        vertx = EdgeFixture.vertx();
        ctx = vertx.getOrCreateContext();
        int echo = GatewayHarness.await(vertx.createNetServer().connectHandler(so -> {
            so.write(Buffer.buffer("hi\n"));
            so.pipeTo(so);
        }).listen(0, "127.0.0.1")).actualPort();
        obs = Observability.create(ObserveOptions.defaults().forTests().withDrain(Duration.ZERO, null),
                Map.of(), Map.of("istio", "ingressgateway"), "istio-system");
        GatewayHarness.await(obs.start(vertx));
        GatewayOptions opts = EdgeFixture.options().withPortMap(Map.of(31400, 0));
        GatewayRuntime rt = GatewayRuntime.create(vertx, opts).observeConnections(obs.connections());
        gw = GatewayHarness.withRuntime(vertx, rt, opts);
        gw.apply("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: tcp, namespace: default}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 31400, name: tcp, protocol: TCP}
                    hosts: ["*"]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: tcp, namespace: default}
                spec:
                  hosts: ["*"]
                  gateways: [tcp]
                  tcp:
                  - route: [{destination: {host: echo.example.internal, port: {number: 9000}}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: echo, namespace: default}
                spec:
                  hosts: [echo.example.internal]
                  location: MESH_EXTERNAL
                  resolution: STATIC
                  ports: [{number: 9000, name: tcp, protocol: TCP}]
                  endpoints: [{address: 127.0.0.1, ports: {tcp: %d}}]
                """.formatted(echo));
        client = vertx.createNetClient();
    }

    @AfterEach
    void stop() {
        GatewayHarness.await(obs.stop());
        gw.close();
    }

    <T> T onLoop(Supplier<Future<T>> action) {
        Promise<T> p = Promise.promise();
        ctx.runOnContext(v -> action.get().onComplete(p));
        return GatewayHarness.await(p.future());
    }

    record Open(NetSocket socket, Future<Void> closed) {
    }

    /** A connection through the TCP route that has read the backend's greeting. */
    Open open() {
        return onLoop(() -> client.connect(gw.runtime.localPort(31400), "127.0.0.1").compose(so -> {
            Promise<Open> greeted = Promise.promise();
            Promise<Void> closed = Promise.promise();
            so.handler(b -> greeted.tryComplete(new Open(so, closed.future())));
            so.closeHandler(v -> {
                closed.tryComplete();
                greeted.tryFail("closed before the greeting");
            });
            return greeted.future();
        }));
    }

    String echo(Open o, String text) {
        return onLoop(() -> {
            Promise<String> p = Promise.promise();
            o.socket().handler(b -> p.tryComplete(b.toString()));
            o.socket().closeHandler(v -> p.tryFail("closed"));
            o.socket().write(Buffer.buffer(text));
            return p.future();
        });
    }

    void awaitInFlight(long n) throws InterruptedException {
        for (int i = 0; i < 500 && obs.inFlight().count() != n; i++) {
            Thread.sleep(10); // bounded poll on the condition
        }
        assertEquals(n, obs.inFlight().count());
    }

    @Test
    void anOpenTcpConnectionHoldsTheDrainUntilItCloses() throws Exception {
        Open o = open();
        awaitInFlight(1);
        assertEquals(1, obs.inFlight().connections());
        AtomicBoolean clientClosing = new AtomicBoolean();
        AtomicBoolean clientClosingAtStop = new AtomicBoolean();
        AtomicLong inFlightAtStop = new AtomicLong(-1);
        AtomicInteger stops = new AtomicInteger();
        DrainController drain = new DrainController(vertx, obs.health(), obs.inFlight(), Duration.ZERO,
                Duration.ofSeconds(30), () -> {
                    stops.incrementAndGet();
                    clientClosingAtStop.set(clientClosing.get());
                    inFlightAtStop.set(obs.inFlight().count());
                    return gw.runtime.stop();
                });
        Future<Void> drained = drain.drain();
        // draining, and the connection still carries bytes both ways
        assertEquals("still here", echo(o, "still here"));
        assertFalse(drained.isComplete(), "the drain waits for the open TCP connection");
        assertEquals(0, stops.get());
        clientClosing.set(true);
        onLoop(() -> o.socket().close());
        GatewayHarness.await(drained);
        assertEquals(1, stops.get());
        assertTrue(clientClosingAtStop.get(), "stop ran only after the client closed its connection");
        assertEquals(0, inFlightAtStop.get());
    }

    @Test
    void aTcpConnectionStillOpenAtTheMaxWaitIsClosed() throws Exception {
        Open o = open();
        awaitInFlight(1);
        AtomicLong inFlightAtStop = new AtomicLong(-1);
        DrainController drain = new DrainController(vertx, obs.health(), obs.inFlight(), Duration.ZERO,
                Duration.ofMillis(300), () -> {
                    inFlightAtStop.set(obs.inFlight().count());
                    return gw.runtime.stop();
                });
        GatewayHarness.await(drain.drain());
        assertEquals(1, inFlightAtStop.get(), "the connection was still open when the wait ran out");
        GatewayHarness.await(o.closed()); // the stop closed it
        awaitInFlight(0);
    }
}

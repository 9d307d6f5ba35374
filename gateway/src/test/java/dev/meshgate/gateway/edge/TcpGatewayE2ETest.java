package dev.meshgate.gateway.edge;

import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.testing.GatewayHarness;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plain {@code protocol: TCP} Gateway servers with Istio's tcp-echo sample VirtualService (80/20 over subsets
 * v1/v2 on port 31400): bytes both ways, weights per connection, and a port without a route closed.
 */
class TcpGatewayE2ETest {

    static Vertx vertx;
    static GatewayHarness gw;
    static NetClient client;
    static Context ctx;
    static int port;
    static int noRoutePort;

    /** An echo backend that greets with its version, then pipes everything back to the client (back-pressure). */
    static NetServer backend(String version) {
        return GatewayHarness.await(vertx.createNetServer().connectHandler(so -> {
            so.write(Buffer.buffer(version + "\n"));
            so.pipeTo(so);
        }).listen(0, "127.0.0.1"));
    }

    @BeforeAll
    static void start() {
        vertx = EdgeFixture.vertx();
        NetServer v1 = backend("v1");
        NetServer v2 = backend("v2");
        GatewayOptions opts = EdgeFixture.options().withPortMap(Map.of(31400, 0, 31401, 0));
        gw = GatewayHarness.withRuntime(vertx, GatewayRuntime.create(vertx, opts), opts);
        gw.apply("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: tcp-echo-gateway, namespace: default}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 31400, name: tcp, protocol: TCP}
                    hosts: ["*"]
                  - port: {number: 31401, name: tcp-unrouted, protocol: TCP}
                    hosts: ["*"]
                ---
                apiVersion: networking.istio.io/v1alpha3
                kind: VirtualService
                metadata: {name: tcp-echo, namespace: default}
                spec:
                  hosts:
                  - "*"
                  gateways:
                  - tcp-echo-gateway
                  tcp:
                  - match:
                    - port: 31400
                    route:
                    - destination:
                        host: tcp-echo
                        port:
                          number: 9000
                        subset: v1
                      weight: 80
                    - destination:
                        host: tcp-echo
                        port:
                          number: 9000
                        subset: v2
                      weight: 20
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: tcp-echo, namespace: default}
                spec:
                  host: tcp-echo
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: tcp-echo, namespace: default}
                spec:
                  hosts: [tcp-echo.default.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9000, name: tcp, protocol: TCP}]
                  endpoints:
                  - {address: 127.0.0.1, ports: {tcp: %d}, labels: {version: v1}}
                  - {address: 127.0.0.1, ports: {tcp: %d}, labels: {version: v2}}
                """.formatted(v1.actualPort(), v2.actualPort()));
        port = gw.runtime.localPort(31400);
        noRoutePort = gw.runtime.localPort(31401);
        assertTrue(port > 0 && noRoutePort > 0);
        client = vertx.createNetClient();
        ctx = vertx.getOrCreateContext();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    /** Runs {@code action} on the test's event-loop context and waits for its result. */
    static <T> T onLoop(Supplier<Future<T>> action) {
        Promise<T> p = Promise.promise();
        ctx.runOnContext(v -> action.get().onComplete(p));
        return GatewayHarness.await(p.future());
    }

    /** Connects to {@code port}, sends {@code payload}, and collects {@code expect} bytes (or what came before close). */
    static Future<Buffer> exchange(int port, Buffer payload, int expect) {
        return client.connect(port, "127.0.0.1").compose(so -> {
            Promise<Buffer> done = Promise.promise();
            Buffer got = Buffer.buffer();
            so.handler(b -> {
                got.appendBuffer(b);
                if (got.length() >= expect) {
                    so.close();
                    done.tryComplete(got);
                }
            });
            so.closeHandler(v -> done.tryComplete(got));
            if (payload.length() > 0) {
                so.write(payload);
            }
            return done.future();
        });
    }

    @Test
    void bytesGoBothWays() {
        byte[] data = new byte[1 << 20];
        ThreadLocalRandom.current().nextBytes(data);
        Buffer got = onLoop(() -> exchange(port, Buffer.buffer(data), 3 + data.length));
        assertEquals(3 + data.length, got.length());
        String version = got.getString(0, 3);
        assertTrue(version.equals("v1\n") || version.equals("v2\n"), version);
        assertArrayEquals(data, got.getBytes(3, got.length()));
    }

    @Test
    void weightsApplyPerConnection() {
        int n = 200;
        List<String> versions = onLoop(() -> {
            List<Future<Buffer>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(exchange(port, Buffer.buffer(), 3));
            }
            return Future.all(all).map(cf -> {
                List<String> out = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    out.add(cf.<Buffer>resultAt(i).toString());
                }
                return out;
            });
        });
        long v1 = versions.stream().filter("v1\n"::equals).count();
        long v2 = versions.stream().filter("v2\n"::equals).count();
        assertEquals(n, v1 + v2, versions.toString());
        // 80/20 over 200 connections: mean 160, sd 5.7; +-30 is more than 5 sd
        assertTrue(Math.abs(v1 - 160) <= 30, "v1=" + v1 + " v2=" + v2);
    }

    @Test
    void noRouteClosesTheConnection() {
        long before = gw.runtime.edge().status().counters().noFilterChain();
        Buffer got = onLoop(() -> exchange(noRoutePort, Buffer.buffer("hello"), 1));
        assertEquals(0, got.length(), "closed without a byte");
        assertTrue(gw.runtime.edge().status().counters().noFilterChain() > before);
        assertTrue(gw.runtime.edge().status().listeners().stream()
                .anyMatch(l -> l.kind().equals("tcp") && l.port() == port));
    }
}

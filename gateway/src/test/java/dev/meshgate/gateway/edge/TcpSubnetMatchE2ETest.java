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
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * VirtualService {@code tcp:} match blocks decided per connection (issue #5): {@code destinationSubnets} against
 * the address the client connected to, {@code sourceSubnet} against the client's address, first match in order,
 * {@code sourceLabels} not counted, as on Istio's gateways. The gateway binds the wildcard address so
 * that 127.0.0.1 and 127.0.0.2 (both loopback on Linux) reach the same listener; traffic stays on loopback.
 */
class TcpSubnetMatchE2ETest {

    static Vertx vertx;
    static GatewayHarness gw;
    static NetClient client;
    static NetClient fromDot3;
    static Context ctx;
    static int port;
    static int onlySubnetPort;

    static NetServer backend(String name) {
        return GatewayHarness.await(vertx.createNetServer().connectHandler(so -> {
            so.write(Buffer.buffer(name + "\n"));
            so.pipeTo(so);
        }).listen(0, "127.0.0.1"));
    }

    @BeforeAll
    static void start() {
        vertx = EdgeFixture.vertx();
        NetServer a = backend("a");
        NetServer b = backend("b");
        NetServer c = backend("c");
        NetServer d = backend("d");
        GatewayOptions opts = EdgeFixture.options().withBindHost("0.0.0.0")
                .withPortMap(Map.of(31500, 0, 31501, 0));
        gw = GatewayHarness.withRuntime(vertx, GatewayRuntime.create(vertx, opts), opts);
        gw.apply("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: tcp-gw, namespace: default}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 31500, name: tcp, protocol: TCP}
                    hosts: ["*"]
                  - port: {number: 31501, name: tcp-subnet-only, protocol: TCP}
                    hosts: ["*"]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: subnets, namespace: default}
                spec:
                  hosts: ["*"]
                  gateways: [tcp-gw]
                  tcp:
                  - match:
                    - {port: 31500, destinationSubnets: [127.0.0.9/32], sourceLabels: {app: not-this-gateway}}
                    route:
                    - destination: {host: backend, port: {number: 9000}, subset: d}
                  - match:
                    - {port: 31500, destinationSubnets: [10.0.0.0/8, 127.0.0.2/32]}
                    route:
                    - destination: {host: backend, port: {number: 9000}, subset: b}
                  - match:
                    - {port: 31500, sourceSubnet: 127.0.0.3}
                    route:
                    - destination: {host: backend, port: {number: 9000}, subset: c}
                  - match:
                    - {port: 31501, destinationSubnets: ["127.0.0.2/32"]}
                    route:
                    - destination: {host: backend, port: {number: 9000}, subset: b}
                  - match:
                    - {port: 31500}
                    route:
                    - destination: {host: backend, port: {number: 9000}, subset: a}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: backend, namespace: default}
                spec:
                  host: backend
                  subsets:
                  - {name: a, labels: {v: a}}
                  - {name: b, labels: {v: b}}
                  - {name: c, labels: {v: c}}
                  - {name: d, labels: {v: d}}
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: backend, namespace: default}
                spec:
                  hosts: [backend.default.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9000, name: tcp, protocol: TCP}]
                  endpoints:
                  - {address: 127.0.0.1, ports: {tcp: %d}, labels: {v: a}}
                  - {address: 127.0.0.1, ports: {tcp: %d}, labels: {v: b}}
                  - {address: 127.0.0.1, ports: {tcp: %d}, labels: {v: c}}
                  - {address: 127.0.0.1, ports: {tcp: %d}, labels: {v: d}}
                """.formatted(a.actualPort(), b.actualPort(), c.actualPort(), d.actualPort()));
        port = gw.runtime.localPort(31500);
        onlySubnetPort = gw.runtime.localPort(31501);
        assertTrue(port > 0 && onlySubnetPort > 0);
        client = vertx.createNetClient();
        fromDot3 = vertx.createNetClient(new NetClientOptions().setLocalAddress("127.0.0.3"));
        ctx = vertx.getOrCreateContext();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static <T> T onLoop(Supplier<Future<T>> action) {
        Promise<T> p = Promise.promise();
        ctx.runOnContext(v -> action.get().onComplete(p));
        return GatewayHarness.await(p.future());
    }

    /** The greeting of the backend a connection to {@code host:port} reaches; empty when the gateway closed it. */
    static String greeting(NetClient via, String host, int port) {
        return onLoop(() -> via.connect(port, host).compose(so -> {
            Promise<String> done = Promise.promise();
            Buffer got = Buffer.buffer();
            so.handler(b -> {
                got.appendBuffer(b);
                if (got.length() >= 2) {
                    so.close();
                    done.tryComplete(got.toString());
                }
            });
            so.closeHandler(v -> done.tryComplete(got.toString()));
            return done.future();
        }));
    }

    @Test
    void destinationSubnetMatchesTheAddressConnectedTo() {
        assertEquals("b\n", greeting(client, "127.0.0.2", port));
    }

    @Test
    void otherDestinationsFallThroughToTheCatchAll() {
        assertEquals("a\n", greeting(client, "127.0.0.1", port));
    }

    @Test
    void sourceLabelsDoNotCountOnAGatewaysL4RoutesAsInIstio() {
        // the first block's sourceLabels select another workload, yet it applies (Istio's l4SingleMatch)
        assertEquals("d\n", greeting(client, "127.0.0.9", port));
    }

    @Test
    void sourceSubnetMatchesTheClientAddress() {
        assertEquals("c\n", greeting(fromDot3, "127.0.0.1", port));
        // destinationSubnets comes first in order
        assertEquals("b\n", greeting(fromDot3, "127.0.0.2", port));
    }

    @Test
    void noMatchingBlockClosesTheConnection() {
        assertEquals("b\n", greeting(client, "127.0.0.2", onlySubnetPort));
        long before = gw.runtime.edge().status().counters().noFilterChain();
        assertEquals("", greeting(client, "127.0.0.1", onlySubnetPort));
        assertTrue(gw.runtime.edge().status().counters().noFilterChain() > before);
    }
}

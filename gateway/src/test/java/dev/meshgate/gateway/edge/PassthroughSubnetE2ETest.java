package dev.meshgate.gateway.edge;

import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.testing.GatewayHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PASSTHROUGH {@code tls:} match blocks with {@code destinationSubnets} (issue #5): tried per connection before the
 * SNI table, and unreachable when an earlier block claimed the SNI unconditionally. The backends only greet (the
 * routing is what is tested, so the client sends a real JDK ClientHello and reads the raw greeting). The gateway
 * binds the wildcard address; traffic stays on loopback.
 */
class PassthroughSubnetE2ETest {

    static Vertx vertx;
    static GatewayHarness gw;
    static int port;

    static NetServer backend(String name) {
        return GatewayHarness.await(vertx.createNetServer().connectHandler(so -> so.write(Buffer.buffer(name + "\n")))
                .listen(0, "127.0.0.1"));
    }

    static String serviceEntry(String name, int port) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: %1$s, namespace: default}
                spec:
                  hosts: [%1$s.default.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 443, name: tls, protocol: TLS}]
                  endpoints: [{address: 127.0.0.1, ports: {tls: %2$d}}]
                """.formatted(name, port);
    }

    @BeforeAll
    static void start() {
        vertx = EdgeFixture.vertx();
        NetServer a = backend("a");
        NetServer b = backend("b");
        GatewayOptions opts = EdgeFixture.options().withBindHost("0.0.0.0");
        gw = GatewayHarness.withRuntime(vertx, GatewayRuntime.create(vertx, opts), opts);
        gw.apply("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: pt, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 9443, name: tls-pt, protocol: TLS}
                    hosts: ["*.example.com"]
                    tls: {mode: PASSTHROUGH}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: pt, namespace: default}
                spec:
                  hosts: ["*.example.com"]
                  gateways: [istio-system/pt]
                  tls:
                  - match: [{port: 9443, sniHosts: [shop.example.com], destinationSubnets: [127.0.0.2/32]}]
                    route: [{destination: {host: b.default.svc.cluster.local, port: {number: 443}}}]
                  - match: [{port: 9443, sniHosts: [shop.example.com, late.example.com]}]
                    route: [{destination: {host: a.default.svc.cluster.local, port: {number: 443}}}]
                  - match: [{port: 9443, sniHosts: [late.example.com], destinationSubnets: [127.0.0.2]}]
                    route: [{destination: {host: b.default.svc.cluster.local, port: {number: 443}}}]
                ---
                """ + serviceEntry("a", a.actualPort()) + "---\n" + serviceEntry("b", b.actualPort()));
        port = gw.runtime.localPort(9443);
        assertTrue(port > 0);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static String greeting(String host, String sni) throws Exception {
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(ClientHelloTest.hello(sni).getBytes());
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] want = new byte[2];
            int read = 0;
            while (read < want.length) {
                int n = in.read(want, read, want.length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            return new String(want, 0, read, StandardCharsets.US_ASCII);
        }
    }

    @Test
    void destinationSubnetBlockComesFirstForItsSni() throws Exception {
        assertEquals("b\n", greeting("127.0.0.2", "shop.example.com"));
        assertEquals("a\n", greeting("127.0.0.1", "shop.example.com"));
    }

    @Test
    void aBlockAfterAnUnconditionalClaimIsUnreachable() throws Exception {
        assertEquals("a\n", greeting("127.0.0.2", "late.example.com"));
    }
}

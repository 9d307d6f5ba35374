package dev.meshgate.gateway.edge;

import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.LeafSpec;
import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.testing.GatewayHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code protocol: TLS} (SIMPLE) with {@code tcp:} routes decided per connection after termination (issue #5):
 * {@code destinationSubnets} 127.0.0.2 to one backend, everything else to the catch-all. The gateway binds the
 * wildcard address; traffic stays on loopback.
 */
class TlsTcpSubnetE2ETest {

    @TempDir
    static Path dir;
    static Vertx vertx;
    static GatewayHarness gw;
    static int port;

    static NetServer backend(String name) {
        return GatewayHarness.await(vertx.createNetServer().connectHandler(so -> so.write(Buffer.buffer(name + "\n")))
                .listen(0, "127.0.0.1"));
    }

    @BeforeAll
    static void start() {
        CertificateAuthority ca = CertificateAuthority.create("tcp subnet root");
        EdgeFixture.writeFiles(dir.resolve("tcp"), ca.issue(LeafSpec.forDns("tcp.example.com")), null);
        vertx = EdgeFixture.vertx();
        NetServer a = backend("a");
        NetServer b = backend("b");
        GatewayOptions opts = EdgeFixture.options().withBindHost("0.0.0.0");
        gw = GatewayHarness.withRuntime(vertx, GatewayRuntime.create(vertx, opts), opts);
        gw.apply("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: tcp-gw, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 8443, name: tls-simple, protocol: TLS}
                    hosts: [tcp.example.com]
                    tls: {mode: SIMPLE, serverCertificate: %1$s/tcp/cert.pem, privateKey: %1$s/tcp/key.pem}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: tcp-subnets, namespace: default}
                spec:
                  hosts: ["*.example.com"]
                  gateways: [istio-system/tcp-gw]
                  tcp:
                  - match: [{port: 8443, destinationSubnets: [127.0.0.2/32]}]
                    route: [{destination: {host: b.default.svc.cluster.local, port: {number: 9000}}}]
                  - route: [{destination: {host: a.default.svc.cluster.local, port: {number: 9000}}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: a, namespace: default}
                spec:
                  hosts: [a.default.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9000, name: tcp, protocol: TCP}]
                  endpoints: [{address: 127.0.0.1, ports: {tcp: %2$d}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: b, namespace: default}
                spec:
                  hosts: [b.default.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9000, name: tcp, protocol: TCP}]
                  endpoints: [{address: 127.0.0.1, ports: {tcp: %3$d}}]
                """.formatted(dir, a.actualPort(), b.actualPort()));
        port = gw.runtime.localPort(8443);
        assertTrue(port > 0);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static String greeting(String host) throws Exception {
        try (SSLSocket s = new TlsProbe().sni("tcp.example.com").connect(host, port)) {
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
    void destinationSubnetPicksTheRouteAfterTermination() throws Exception {
        assertEquals("b\n", greeting("127.0.0.2"));
        assertEquals("a\n", greeting("127.0.0.1"));
    }
}

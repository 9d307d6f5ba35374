package dev.meshgate.gateway.edge;

import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
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
 * {@code protocol: TLS} servers with SIMPLE and MUTUAL: the gateway terminates TLS and forwards the plain bytes at
 * layer 4 along VirtualService {@code tcp:} routes.
 */
class TlsTcpE2ETest {

    @TempDir
    static Path dir;
    static CertificateAuthority ca;
    static CertificateAuthority clientCa;
    static IssuedCertificate tcpCert;
    static Vertx vertx;
    static GatewayHarness gw;
    static int port;
    static dev.meshgate.gateway.observe.Observability obs;

    @BeforeAll
    static void start() {
        ca = CertificateAuthority.create("tcp root");
        clientCa = CertificateAuthority.create("tcp clients");
        tcpCert = ca.issue(LeafSpec.forDns("tcp.example.com"));
        EdgeFixture.writeFiles(dir.resolve("tcp"), tcpCert, null);
        EdgeFixture.writeFiles(dir.resolve("mtcp"), ca.issue(LeafSpec.forDns("mtcp.example.com")), clientCa);
        vertx = EdgeFixture.vertx();
        NetServer echo = GatewayHarness.await(vertx.createNetServer().connectHandler(so -> so.handler(b ->
                so.write(Buffer.buffer("echo:").appendBuffer(b)))).listen(0, "127.0.0.1"));
        obs = dev.meshgate.gateway.observe.Observability.create(dev.meshgate.gateway.observe.ObserveOptions.defaults()
                        .forTests().withAccessLog(dir.resolve("access.log").toString(),
                                dev.meshgate.gateway.observe.AccessLogFormat.JSON)
                        .withDrain(java.time.Duration.ZERO, null),
                java.util.Map.of(), java.util.Map.of("istio", "ingressgateway"), "istio-system");
        GatewayRuntime rt = GatewayRuntime.create(vertx, EdgeFixture.options())
                .observeConnections(obs.connections());
        gw = GatewayHarness.withRuntime(vertx, rt, EdgeFixture.options());
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
                  - port: {number: 8443, name: tls-mutual, protocol: TLS}
                    hosts: [mtcp.example.com]
                    tls:
                      mode: MUTUAL
                      serverCertificate: %1$s/mtcp/cert.pem
                      privateKey: %1$s/mtcp/key.pem
                      caCertificates: %1$s/mtcp/ca.pem
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: tcp-echo, namespace: default}
                spec:
                  hosts: ["*.example.com"]
                  gateways: [istio-system/tcp-gw]
                  tcp:
                  - match: [{port: 8443}]
                    route: [{destination: {host: echo.default.svc.cluster.local, port: {number: 9000}}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: echo, namespace: default}
                spec:
                  hosts: [echo.default.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9000, name: tcp, protocol: TCP}]
                  endpoints: [{address: 127.0.0.1, ports: {tcp: %2$d}}]
                """.formatted(dir, echo.actualPort()));
        port = gw.runtime.localPort(8443);
        assertTrue(port > 0);
    }

    @AfterAll
    static void stop() {
        GatewayHarness.await(obs.stop());
        gw.close();
    }

    static String roundTrip(SSLSocket s, String text) throws Exception {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        byte[] want = new byte[("echo:" + text).length()];
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

    @Test
    void simpleTerminatesAndForwardsBytes() throws Exception {
        try (SSLSocket s = new TlsProbe().sni("tcp.example.com").connect(port)) {
            assertEquals(tcpCert.certificate(), s.getSession().getPeerCertificates()[0]);
            assertEquals("echo:hello", roundTrip(s, "hello"));
            assertEquals("echo:again", roundTrip(s, "again"));
        }
    }

    @Test
    void terminatedConnectionIsLoggedWithPlaintextBytes() throws Exception {
        try (SSLSocket s = new TlsProbe().sni("tcp.example.com").connect(port)) {
            assertEquals("echo:telemetry-check", roundTrip(s, "telemetry-check"));
        }
        // the decrypted bytes: 15 from the client, 20 back from the echo backend
        io.vertx.core.json.JsonObject line = null;
        for (int i = 0; i < 500 && line == null; i++) {
            java.nio.file.Path log = dir.resolve("access.log");
            if (java.nio.file.Files.exists(log)) {
                for (String l : java.nio.file.Files.readAllLines(log)) {
                    io.vertx.core.json.JsonObject j = new io.vertx.core.json.JsonObject(l);
                    if ("tcp.example.com".equals(j.getString("requested_server_name"))
                            && j.getLong("bytes_received") == 15) {
                        line = j;
                    }
                }
            }
            if (line == null) {
                Thread.sleep(10); // bounded poll: the line is written once both sides are closed
            }
        }
        assertTrue(line != null, "an access-log line for the connection");
        assertEquals(20, line.getLong("bytes_sent"));
        assertEquals("outbound|9000||echo.default.svc.cluster.local", line.getString("upstream_cluster"));
        assertEquals("-", line.getString("response_flags"));
        double opened = obs.registry().find(dev.meshgate.gateway.observe.IstioMetrics.TCP_OPENED)
                .tag("destination_service", "echo.default.svc.cluster.local").tag("response_flags", "-")
                .counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
        assertTrue(opened >= 1, "istio_tcp_connections_opened_total " + opened);
    }

    @Test
    void mutualNeedsAClientCertificate() throws Exception {
        IssuedCertificate client = clientCa.issue(LeafSpec.forDns("client.example.com"));
        try (SSLSocket s = new TlsProbe().sni("mtcp.example.com").clientCert(client).connect(port)) {
            assertEquals("echo:mtls", roundTrip(s, "mtls"));
        }
        try (SSLSocket s = new TlsProbe().sni("mtcp.example.com").connect(port)) {
            assertEquals("", roundTrip(s, "anonymous"), "closed: no client certificate");
        } catch (java.io.IOException refused) {
            // a reset instead of a clean close is a refusal too
        }
        assertTrue(gw.runtime.edge().status().counters().missingClientCertificate() > 0);
    }

    @Test
    void unknownSniRefusedAndOpensslWorks() throws Exception {
        assertTrue(new TlsProbe().sni("other.example.org").refused(port, "other.example.org"));
        Process p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername",
                "tcp.example.com", "-quiet").redirectErrorStream(true).start();
        p.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().flush();
        InputStream in = p.getInputStream();
        java.util.concurrent.CompletableFuture<String> read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            StringBuilder sb = new StringBuilder();
            byte[] buf = new byte[64];
            try {
                while (!sb.toString().contains("echo:ping")) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    sb.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
                }
            } catch (java.io.IOException e) {
                sb.append(e);
            }
            return sb.toString();
        });
        String out;
        try {
            out = read.get(20, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            p.destroy();
        }
        assertTrue(out.contains("echo:ping"), out);
    }
}

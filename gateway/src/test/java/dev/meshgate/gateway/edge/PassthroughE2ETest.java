package dev.meshgate.gateway.edge;

import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.testing.GatewayHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SNI passthrough in the style of Istio's ingress-sni-passthrough task: the gateway does not terminate, reads
 * the SNI from the ClientHello, and routes by VirtualService {@code tls:} routes to TLS backends (which present
 * their own certificates), with per-connection weights.
 */
class PassthroughE2ETest {

    @TempDir
    static Path dir;
    static CertificateAuthority ca;
    static IssuedCertificate certA;
    static IssuedCertificate certB;
    static Vertx vertx;
    static GatewayHarness gw;
    static int port;
    static Path caFile;
    static dev.meshgate.gateway.observe.Observability obs;

    static HttpServer tlsBackend(String name, IssuedCertificate cert) {
        HttpServerOptions o = new HttpServerOptions().setSsl(true).setSni(true)
                .setSslEngineOptions(new io.vertx.core.net.OpenSSLEngineOptions()).setKeyCertOptions(new PemKeyCertOptions()
                .setCertValue(Buffer.buffer(cert.certificatePem())).setKeyValue(Buffer.buffer(cert.privateKeyPem())));
        return GatewayHarness.await(vertx.createHttpServer(o).requestHandler(req -> {
            if (req.path().equals("/big")) {
                // 4 MiB through both pipes: the copy must respect back-pressure to arrive whole
                req.response().end(Buffer.buffer(new byte[4 * 1024 * 1024]));
            } else {
                req.response().end(name + " sni=" + req.connection().indicatedServerName());
            }
        }).listen(0, "127.0.0.1"));
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
        ca = CertificateAuthority.create("passthrough root");
        certA = ca.issue(LeafSpec.forDns("nginx.example.com", "weighted.example.com"));
        certB = ca.issue(LeafSpec.forDns("*.wild.example.com", "weighted.example.com"));
        caFile = EdgeFixture.write(dir.resolve("ca.pem"), ca.certificatePem());
        vertx = EdgeFixture.vertx();
        int a = tlsBackend("backend-a", certA).actualPort();
        int b = tlsBackend("backend-b", certB).actualPort();
        obs = dev.meshgate.gateway.observe.Observability.create(dev.meshgate.gateway.observe.ObserveOptions.defaults()
                        .forTests().withAccessLog(dir.resolve("access.log").toString(),
                                dev.meshgate.gateway.observe.AccessLogFormat.JSON)
                        .withDrain(java.time.Duration.ZERO, null),
                java.util.Map.of(), java.util.Map.of("istio", "ingressgateway"), "istio-system");
        GatewayRuntime rt = GatewayRuntime.create(vertx, EdgeFixture.options())
                .edgeOptions(EdgeOptions.defaults().withClientHelloTimeout(java.time.Duration.ofSeconds(2)))
                .observeConnections(obs.connections());
        gw = GatewayHarness.withRuntime(vertx, rt, EdgeFixture.options());
        gw.apply("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: mygateway, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 443, name: https, protocol: HTTPS}
                    tls: {mode: PASSTHROUGH}
                    hosts: [nginx.example.com, "*.wild.example.com", weighted.example.com]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: nginx, namespace: default}
                spec:
                  hosts: [nginx.example.com]
                  gateways: [istio-system/mygateway]
                  tls:
                  - match:
                    - port: 443
                      sniHosts: [nginx.example.com]
                    route:
                    - destination: {host: backend-a, port: {number: 443}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: wild, namespace: default}
                spec:
                  hosts: ["*.wild.example.com"]
                  gateways: [istio-system/mygateway]
                  tls:
                  - match:
                    - sniHosts: ["*.wild.example.com"]
                    route:
                    - destination: {host: backend-b.default.svc.cluster.local}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: weighted, namespace: default}
                spec:
                  hosts: [weighted.example.com]
                  gateways: [istio-system/mygateway]
                  tls:
                  - match:
                    - port: 443
                      sniHosts: [weighted.example.com]
                    route:
                    - destination: {host: backend-a, port: {number: 443}}
                      weight: 80
                    - destination: {host: backend-b, port: {number: 443}}
                      weight: 20
                ---
                """ + serviceEntry("backend-a", a) + "---\n" + serviceEntry("backend-b", b));
        port = gw.runtime.localPort(443);
        assertTrue(port > 0);
    }

    @AfterAll
    static void stop() {
        GatewayHarness.await(obs.stop());
        gw.close();
    }

    @Test
    void routesBySniWithoutTerminating() throws Exception {
        TlsProbe nginx = new TlsProbe().sni("nginx.example.com");
        assertEquals(certA.certificate(), nginx.served(port), "the backend's own certificate: no termination");
        TlsProbe.Response r = nginx.get(port, "nginx.example.com", "/");
        assertEquals("backend-a sni=nginx.example.com", r.body());
        TlsProbe.Response w = new TlsProbe().sni("shop.wild.example.com").get(port, "shop.wild.example.com", "/");
        assertEquals("backend-b sni=shop.wild.example.com", w.body());
        assertEquals(certB.certificate(), new TlsProbe().sni("a.b.wild.example.com").served(port));
    }

    @Test
    void passthroughConnectionIsMeasuredAndLoggedWithItsSni() throws Exception {
        String sni = "metrics.wild.example.com";
        TlsProbe.Response r = new TlsProbe().sni(sni).get(port, sni, "/");
        assertEquals("backend-b sni=" + sni, r.body());
        io.vertx.core.json.JsonObject line = null;
        for (int i = 0; i < 500 && line == null; i++) {
            java.nio.file.Path log = dir.resolve("access.log");
            if (java.nio.file.Files.exists(log)) {
                for (String l : java.nio.file.Files.readAllLines(log)) {
                    io.vertx.core.json.JsonObject j = new io.vertx.core.json.JsonObject(l);
                    if (sni.equals(j.getString("requested_server_name"))) {
                        line = j;
                    }
                }
            }
            if (line == null) {
                Thread.sleep(10); // bounded poll: the line is written once both sides are closed
            }
        }
        assertTrue(line != null, "an access-log line for SNI " + sni);
        assertEquals(0, line.getInteger("response_code"));
        assertEquals("-", line.getString("response_flags"));
        assertEquals("outbound|443||backend-b.default.svc.cluster.local", line.getString("upstream_cluster"));
        // the ClientHello read for routing counts as received; the backend's handshake and answer as sent
        assertTrue(line.getLong("bytes_received") > 100, line.encode());
        assertTrue(line.getLong("bytes_sent") > 100, line.encode());
        double received = obs.registry().find(dev.meshgate.gateway.observe.IstioMetrics.TCP_RECEIVED)
                .tag("destination_service", "backend-b.default.svc.cluster.local").tag("request_protocol", "tcp")
                .counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
        assertTrue(received >= line.getLong("bytes_received"), "istio_tcp_received_bytes_total " + received);
    }

    @Test
    void curlThroughPassthroughVerifiesTheBackendCertificate() throws Exception {
        EdgeFixture.Result r = EdgeFixture.curl(port, "nginx.example.com", "/", caFile, "--http1.1");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().startsWith("backend-a sni=nginx.example.com"), r.out());
    }

    @Test
    void weightsApplyPerConnection() throws Exception {
        int n = 200;
        java.util.concurrent.atomic.AtomicInteger a = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> all = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                all.add(pool.submit(() -> {
                    TlsProbe probe = new TlsProbe().sni("weighted.example.com");
                    for (int i = 0; i < n / 4; i++) {
                        // each backend presents its own certificate: the handshake tells where the connection went
                        java.security.cert.X509Certificate served = probe.served(port);
                        if (served.equals(certA.certificate())) {
                            a.incrementAndGet();
                        } else {
                            assertEquals(certB.certificate(), served);
                        }
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : all) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        // 80/20 over 200 connections: mean 160, sd 5.7; +-30 is more than 5 sd
        assertTrue(a.get() >= 130 && a.get() <= 190, "backend-a got " + a + " of " + n);
    }

    @Test
    void unknownOrMissingSniIsClosed() {
        long before = gw.runtime.edge().status().counters().noFilterChain();
        assertTrue(new TlsProbe().sni("unknown.example.org").refused(port, "unknown.example.org"));
        assertTrue(new TlsProbe().refused(port, "nginx.example.com"), "no SNI and no * route");
        assertTrue(new TlsProbe().sni("wild.example.com").refused(port, "wild.example.com"));
        assertTrue(gw.runtime.edge().status().counters().noFilterChain() >= before + 3);
    }

    @Test
    void notTlsIsClosed() throws Exception {
        long before = gw.runtime.edge().status().counters().badClientHello();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: nginx.example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals(-1, s.getInputStream().read(), "closed without an answer");
        }
        // a silent client is closed after the ClientHello timeout (2 s here)
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            assertEquals(-1, s.getInputStream().read());
        }
        assertTrue(gw.runtime.edge().status().counters().badClientHello() >= before + 2);
    }

    @Test
    void largeResponseArrivesWhole() throws Exception {
        try (SSLSocket s = new TlsProbe().sni("nginx.example.com").connect(port)) {
            OutputStream out = s.getOutputStream();
            out.write("GET /big HTTP/1.1\r\nHost: nginx.example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            TlsProbe.Response head = TlsProbe.request(new Socket() {
                @Override
                public InputStream getInputStream() {
                    return in;
                }

                @Override
                public OutputStream getOutputStream() {
                    return OutputStream.nullOutputStream();
                }
            }, "nginx.example.com", "/big");
            assertEquals(200, head.status());
            assertEquals(4 * 1024 * 1024, head.body().length());
        }
    }
}

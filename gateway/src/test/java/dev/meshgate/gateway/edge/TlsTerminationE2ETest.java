package dev.meshgate.gateway.edge;

import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import dev.meshgate.gateway.testing.GatewayHarness;
import dev.meshgate.gateway.testing.GatewayHarness.Resp;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTPS termination through the real GatewayRuntime with Istio YAML in the style of the secure-ingress task: file
 * certificates, credentialName from a credentials directory, a wildcard server, SNI refusal, 421 across servers,
 * httpsRedirect, and real clients (curl --resolve over h2, openssl s_client).
 */
class TlsTerminationE2ETest {

    @TempDir
    static Path dir;
    static CertificateAuthority ca;
    static IssuedCertificate bookinfo;
    static IssuedCertificate httpbin;
    static IssuedCertificate apps;
    static Vertx vertx;
    static GatewayHarness gw;
    static int https;
    static Path caFile;

    static final String CONFIG = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: istio-system}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 443, name: https-bookinfo, protocol: HTTPS}
                hosts: [bookinfo.example.com]
                tls: {mode: SIMPLE, serverCertificate: %1$s/bookinfo/cert.pem, privateKey: %1$s/bookinfo/key.pem}
              - port: {number: 443, name: https-httpbin, protocol: HTTPS}
                hosts: [httpbin.example.com]
                tls: {mode: SIMPLE, credentialName: httpbin-credential}
              - port: {number: 443, name: https-apps, protocol: HTTPS}
                hosts: ["*.apps.example.com"]
                tls: {mode: SIMPLE, credentialName: apps-credential}
              - port: {number: 8443, name: https-modern, protocol: HTTPS}
                hosts: [bookinfo.example.com]
                tls:
                  mode: SIMPLE
                  serverCertificate: %1$s/bookinfo/cert.pem
                  privateKey: %1$s/bookinfo/key.pem
                  minProtocolVersion: TLSV1_3
              - port: {number: 9443, name: https-any, protocol: HTTPS}
                hosts: ["*"]
                tls: {mode: SIMPLE, credentialName: httpbin-credential}
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: [bookinfo.example.com, httpbin.example.com]
                tls: {httpsRedirect: true}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: bookinfo, namespace: default}
            spec:
              hosts: [bookinfo.example.com]
              gateways: [istio-system/gw]
              http:
              - route: [{destination: {host: productpage, port: {number: 9080}}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: httpbin, namespace: default}
            spec:
              hosts: [httpbin.example.com]
              gateways: [istio-system/gw]
              http:
              - route: [{destination: {host: httpbin, port: {number: 8000}}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: apps, namespace: default}
            spec:
              hosts: ["*.apps.example.com"]
              gateways: [istio-system/gw]
              http:
              - route: [{destination: {host: apps, port: {number: 80}}}]
            """;

    @BeforeAll
    static void start() {
        ca = CertificateAuthority.create("edge test root");
        bookinfo = ca.issue(LeafSpec.forDns("bookinfo.example.com"));
        httpbin = ca.issue(LeafSpec.forDns("httpbin.example.com"));
        apps = ca.issue(LeafSpec.forDns("*.apps.example.com"));
        EdgeFixture.writeFiles(dir.resolve("bookinfo"), bookinfo, null);
        Path creds = dir.resolve("credentials");
        EdgeFixture.writeSecret(creds, "istio-system", "httpbin-credential", httpbin, null);
        EdgeFixture.writeSecret(creds, "istio-system", "apps-credential", apps, null);
        caFile = EdgeFixture.write(dir.resolve("ca.pem"), ca.certificatePem());
        vertx = EdgeFixture.vertx();
        gw = EdgeFixture.echoGateway(vertx, EdgeOptions.defaults().withCredentialsDir(creds));
        gw.apply(CONFIG.formatted(dir));
        https = gw.runtime.localPort(443);
        assertTrue(https > 0, "443 bound");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void simpleWithFileCertificates() throws Exception {
        TlsProbe p = new TlsProbe().sni("bookinfo.example.com");
        assertEquals(bookinfo.certificate(), p.served(https));
        TlsProbe.Response r = p.get(https, "bookinfo.example.com", "/productpage");
        assertEquals(200, r.status(), r.body());
        Map<String, Object> echo = EchoForwarderJson.parse(r.body());
        assertEquals("outbound|9080||productpage.default.svc.cluster.local", echo.get("cluster"));
        assertEquals("https", EchoForwarderJson.header(echo, "x-forwarded-proto"));
    }

    @Test
    void simpleWithCredentialName() throws Exception {
        TlsProbe p = new TlsProbe().sni("httpbin.example.com");
        assertEquals(httpbin.certificate(), p.served(https));
        TlsProbe.Response r = p.get(https, "httpbin.example.com", "/status/200");
        assertEquals(200, r.status(), r.body());
        assertEquals("outbound|8000||httpbin.default.svc.cluster.local", EchoForwarderJson.parse(r.body()).get("cluster"));
    }

    @Test
    void wildcardServerAndCaseInsensitiveSni() throws Exception {
        assertEquals(apps.certificate(), new TlsProbe().sni("shop.apps.example.com").served(https));
        assertEquals(apps.certificate(), new TlsProbe().sni("A.B.Apps.Example.com").served(https));
        assertEquals(bookinfo.certificate(), new TlsProbe().sni("BOOKINFO.example.com").served(https));
        TlsProbe.Response r = new TlsProbe().sni("shop.apps.example.com").get(https, "shop.apps.example.com", "/");
        assertEquals(200, r.status(), r.body());
        assertEquals("outbound|80||apps.default.svc.cluster.local", EchoForwarderJson.parse(r.body()).get("cluster"));
    }

    @Test
    void unknownOrMissingSniIsRefused() throws Exception {
        long failuresBefore = gw.runtime.edge().status().counters().handshakeFailures();
        assertTrue(new TlsProbe().sni("unknown.example.org").refused(https, "unknown.example.org"));
        assertTrue(new TlsProbe().sni("apps.example.com").refused(https, "apps.example.com"),
                "*.apps.example.com does not cover apps.example.com");
        assertTrue(new TlsProbe().refused(https, "bookinfo.example.com"), "no SNI");
        long deadline = System.nanoTime() + 10_000_000_000L; // the server may log the failure after the client saw it
        while (gw.runtime.edge().status().counters().handshakeFailures() < failuresBefore + 3
                && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        assertTrue(gw.runtime.edge().status().counters().handshakeFailures() >= failuresBefore + 3,
                "refused handshakes are counted");
        // positive control on the same port
        assertEquals(200, new TlsProbe().sni("bookinfo.example.com").get(https, "bookinfo.example.com", "/").status());
        EdgeFixture.Result r = EdgeFixture.run("openssl", "s_client", "-connect", "127.0.0.1:" + https,
                "-servername", "unknown.example.org", "-brief");
        assertNotEquals(0, r.exit(), r.out());
        assertTrue(!r.out().contains("CONNECTION ESTABLISHED"), r.out());
        EdgeFixture.Result ok = EdgeFixture.run("openssl", "s_client", "-connect", "127.0.0.1:" + https,
                "-servername", "httpbin.example.com", "-alpn", "h2,http/1.1");
        assertEquals(0, ok.exit(), ok.out());
        assertTrue(ok.out().contains("ALPN protocol: h2"), ok.out());
        assertTrue(ok.out().contains("subject=CN = httpbin.example.com"), ok.out());
    }

    /** Regression: the handshake found the "*" server but the per-request choice used the null SNI and closed. */
    @Test
    void starServerAnswersClientsWithoutSni() throws Exception {
        int any = gw.runtime.localPort(9443);
        assertTrue(any > 0, "9443 bound");
        // connecting by IP literal: the JDK client sends no SNI
        TlsProbe.Response r = new TlsProbe().get(any, "bookinfo.example.com", "/");
        assertEquals(200, r.status(), r.body());
        assertEquals("outbound|9080||productpage.default.svc.cluster.local",
                EchoForwarderJson.parse(r.body()).get("cluster"));
        assertEquals(httpbin.certificate(), new TlsProbe().served(any));
        // openssl without SNI, HTTP/1.1 over the established session
        EdgeFixture.Result ossl = EdgeFixture.runWithInput(
                "GET / HTTP/1.1\r\nHost: httpbin.example.com\r\nConnection: close\r\n\r\n",
                "openssl", "s_client", "-connect", "127.0.0.1:" + any, "-noservername", "-quiet",
                "-alpn", "http/1.1");
        assertTrue(ossl.out().contains("HTTP/1.1 200"), ossl.out());
        // curl to an IP URL sends no SNI either; over h2
        EdgeFixture.Result h2 = EdgeFixture.run("curl", "-sS", "-k", "--max-time", "20", "-H",
                "Host: httpbin.example.com", "-w", "\n%{http_code} %{http_version}", "https://127.0.0.1:" + any + "/");
        assertEquals(0, h2.exit(), h2.out());
        assertTrue(h2.out().endsWith("200 2"), h2.out());
        // a port without a "*" server still refuses a missing SNI
        assertTrue(new TlsProbe().refused(https, "bookinfo.example.com"), "no SNI on 443");
    }

    @Test
    void protocolVersionsFromTheGateway() throws Exception {
        int modern = gw.runtime.localPort(8443);
        assertTrue(new TlsProbe().sni("bookinfo.example.com").protocols("TLSv1.2")
                .refused(modern, "bookinfo.example.com"), "minProtocolVersion TLSV1_3 refuses TLS 1.2");
        try (javax.net.ssl.SSLSocket s = new TlsProbe().sni("bookinfo.example.com").protocols("TLSv1.3")
                .connect(modern)) {
            assertEquals("TLSv1.3", s.getSession().getProtocol());
        }
        try (javax.net.ssl.SSLSocket s = new TlsProbe().sni("bookinfo.example.com").protocols("TLSv1.2")
                .connect(https)) {
            assertEquals("TLSv1.2", s.getSession().getProtocol(), "the default range starts at TLS 1.2");
        }
    }

    @Test
    void hostOfAnotherServerOnThePortGets421() throws Exception {
        TlsProbe p = new TlsProbe().sni("bookinfo.example.com");
        TlsProbe.Response r = p.get(https, "httpbin.example.com", "/");
        assertEquals(421, r.status(), r.body());
        TlsProbe.Response wild = p.get(https, "shop.apps.example.com", "/");
        assertEquals(421, wild.status(), wild.body());
        // a Host no server claims: the server's own table answers 404 NR
        assertEquals(404, p.get(https, "other.example.org", "/").status());
        // the port in Host is ignored, as in Istio
        assertEquals(200, p.get(https, "bookinfo.example.com:443", "/").status());
    }

    @Test
    void httpsRedirectAnswers301() {
        Resp r = gw.send(gw.h1, io.vertx.core.http.HttpMethod.GET, gw.runtime.localPort(80), "bookinfo.example.com",
                "/productpage?u=1", null);
        assertEquals(301, r.status());
        assertEquals("https://bookinfo.example.com/productpage?u=1", r.header("location"));
        Resp other = gw.send(gw.h1, io.vertx.core.http.HttpMethod.GET, gw.runtime.localPort(80),
                "httpbin.example.com:80", "/x", null);
        assertEquals(301, other.status());
        assertEquals("https://httpbin.example.com/x", other.header("location"));
    }

    @Test
    void curlOverHttp2WithResolve() throws Exception {
        EdgeFixture.Result r = EdgeFixture.curl(https, "bookinfo.example.com", "/productpage", caFile);
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().endsWith("200 2"), r.out());
        assertTrue(r.out().contains("productpage.default.svc.cluster.local"), r.out());
        EdgeFixture.Result h1 = EdgeFixture.curl(https, "shop.apps.example.com", "/", caFile, "--http1.1");
        assertTrue(h1.out().endsWith("200 1.1"), h1.out());
        EdgeFixture.Result refused = EdgeFixture.curl(https, "nobody.example.org", "/", caFile);
        assertNotEquals(0, refused.exit(), refused.out());
    }

    @Test
    void engineAndListenersInStatus() {
        EdgeStatus st = gw.runtime.edge().status();
        assertTrue(st.engine().nativeEngine(), "BoringSSL through the full gateway: " + st.engine().fallbackReason());
        EdgeStatus.Listener l = st.listeners().stream().filter(x -> x.listener().equals("*:443")).findFirst()
                .orElseThrow();
        assertEquals("terminate", l.kind());
        assertEquals(https, l.port(), "status " + st.listeners() + ", bound " + gw.runtime.boundPorts());
        assertEquals(3, l.servers().size(), l.servers().toString());
        assertTrue(st.credentials().stream().anyMatch(c -> c.name().equals("istio-system/httpbin-credential")
                && c.serving()), st.credentials().toString());
    }

    @Test
    void defaultSniOptionServesUnmatchedClients() throws Exception {
        Vertx v = EdgeFixture.vertx();
        GatewayHarness other = EdgeFixture.echoGateway(v, EdgeOptions.defaults()
                .withCredentialsDir(dir.resolve("credentials")).withDefaultSni("bookinfo.example.com"));
        try {
            other.apply(CONFIG.formatted(dir));
            int port = other.runtime.localPort(443);
            assertEquals(bookinfo.certificate(), new TlsProbe().served(port), "no SNI");
            assertEquals(bookinfo.certificate(), new TlsProbe().sni("unknown.example.org").served(port));
            assertEquals(httpbin.certificate(), new TlsProbe().sni("httpbin.example.com").served(port));
            TlsProbe.Response r = new TlsProbe().get(port, "bookinfo.example.com", "/");
            assertEquals(200, r.status(), r.body());
            assertEquals("outbound|9080||productpage.default.svc.cluster.local",
                    EchoForwarderJson.parse(r.body()).get("cluster"));
        } finally {
            other.close();
        }
    }
}

package dev.meshgate.gateway.edge;

import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import dev.meshgate.gateway.testing.GatewayHarness;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Certificate rotation through the real GatewayRuntime: replaced files reach new handshakes while earlier
 * connections keep working, traffic keeps flowing during the swap, a broken replacement keeps the old certificate,
 * and a server whose credential appears late starts being served. Polling is driven by the test (reloadCredentials)
 * instead of the timer.
 */
class RotationE2ETest {

    @TempDir
    Path dir;
    CertificateAuthority ca;
    Vertx vertx;
    GatewayHarness gw;
    int https;

    @BeforeEach
    void start() {
        ca = CertificateAuthority.create("rotation root");
        EdgeFixture.writeFiles(dir.resolve("site"), ca.issue(LeafSpec.forDns("site.example.com")), null);
        vertx = EdgeFixture.vertx();
        gw = EdgeFixture.echoGateway(vertx, EdgeOptions.defaults().withCredentialsDir(dir.resolve("credentials"))
                .withCredentialPoll(Duration.ofHours(1)));
        gw.apply("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 443, name: https, protocol: HTTPS}
                    hosts: [site.example.com]
                    tls: {mode: SIMPLE, serverCertificate: %1$s/site/cert.pem, privateKey: %1$s/site/key.pem}
                  - port: {number: 443, name: https-late, protocol: HTTPS}
                    hosts: [late.example.com]
                    tls: {mode: SIMPLE, credentialName: late-credential}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: site, namespace: default}
                spec:
                  hosts: ["*.example.com"]
                  gateways: [istio-system/gw]
                  http:
                  - route: [{destination: {host: site, port: {number: 80}}}]
                """.formatted(dir));
        https = gw.runtime.localPort(443);
        assertTrue(https > 0);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    void reload() {
        GatewayHarness.await(gw.runtime.edge().reloadCredentials());
    }

    X509Certificate served() throws Exception {
        return new TlsProbe().sni("site.example.com").served(https);
    }

    @Test
    void newConnectionsSeeTheNewSerialAndOldOnesKeepWorking() throws Exception {
        X509Certificate before = served();
        try (SSLSocket early = new TlsProbe().sni("site.example.com").connect(https)) {
            assertEquals(200, TlsProbe.request(early, "site.example.com", "/one").status());
            IssuedCertificate next = ca.issue(LeafSpec.forDns("site.example.com"));
            EdgeFixture.writeFiles(dir.resolve("site"), next, null);
            reload();
            assertEquals(next.certificate().getSerialNumber(), served().getSerialNumber());
            // the connection opened before the rotation still works and still has the old certificate
            assertEquals(200, TlsProbe.request(early, "site.example.com", "/two").status());
            assertEquals(before, early.getSession().getPeerCertificates()[0]);
        }
    }

    @Test
    void trafficKeepsFlowingDuringRotation() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        AtomicBoolean running = new AtomicBoolean(true);
        try {
            Future<Integer> load = pool.submit(() -> {
                int n = 0;
                while (running.get() || n < 20) {
                    TlsProbe.Response r = new TlsProbe().sni("site.example.com").get(https, "site.example.com", "/");
                    assertEquals(200, r.status(), r.body());
                    n++;
                }
                return n;
            });
            for (int i = 0; i < 3; i++) {
                IssuedCertificate next = ca.issue(LeafSpec.forDns("site.example.com"));
                EdgeFixture.writeFiles(dir.resolve("site"), next, null);
                reload();
                assertEquals(next.certificate().getSerialNumber(), served().getSerialNumber());
            }
            running.set(false);
            assertTrue(load.get(60, TimeUnit.SECONDS) >= 20);
        } finally {
            running.set(false);
            pool.shutdownNow();
        }
    }

    @Test
    void brokenReplacementKeepsTheOldCertificate() throws Exception {
        X509Certificate good = served();
        // a certificate whose key does not match, then garbage
        IssuedCertificate a = ca.issue(LeafSpec.forDns("site.example.com"));
        IssuedCertificate b = ca.issue(LeafSpec.forDns("site.example.com"));
        EdgeFixture.write(dir.resolve("site/cert.pem"), a.certificatePem());
        EdgeFixture.write(dir.resolve("site/key.pem"), b.privateKeyPem());
        reload();
        assertEquals(good, served());
        assertEquals(200, new TlsProbe().sni("site.example.com").get(https, "site.example.com", "/").status());
        EdgeStatus.Credential c = gw.runtime.edge().status().credentials().stream()
                .filter(x -> x.name().equals("file:" + dir.resolve("site/cert.pem"))).findFirst().orElseThrow();
        assertTrue(c.serving());
        assertNotNull(c.lastError());
        assertTrue(c.lastError().contains("does not match"), c.lastError());
        EdgeFixture.write(dir.resolve("site/cert.pem"), "not a certificate");
        reload();
        assertEquals(good, served());
        // a good pair again is picked up
        EdgeFixture.writeFiles(dir.resolve("site"), a, null);
        reload();
        assertEquals(a.certificate(), served());
    }

    @Test
    void serverWhoseCredentialLoadsLateIsServedOnceItLoads() throws Exception {
        assertTrue(new TlsProbe().sni("late.example.com").refused(https, "late.example.com"),
                "credential missing: the server is not served");
        EdgeStatus.Credential missing = gw.runtime.edge().status().credentials().stream()
                .filter(x -> x.name().equals("istio-system/late-credential")).findFirst().orElseThrow();
        assertTrue(!missing.serving() && missing.lastError().contains("not found"), missing.toString());
        IssuedCertificate late = ca.issue(LeafSpec.forDns("late.example.com"));
        EdgeFixture.writeSecret(dir.resolve("credentials"), "istio-system", "late-credential", late, null);
        reload();
        assertEquals(late.certificate(), new TlsProbe().sni("late.example.com").served(https));
        assertEquals(200, new TlsProbe().sni("late.example.com").get(https, "late.example.com", "/").status());
    }

    @Test
    void configChangesKeepTheSocketAndAConnectionOpenedBefore() throws Exception {
        IssuedCertificate extra = ca.issue(LeafSpec.forDns("extra.example.com"));
        EdgeFixture.writeFiles(dir.resolve("extra"), extra, null);
        try (SSLSocket early = new TlsProbe().sni("site.example.com").connect(https)) {
            assertEquals(200, TlsProbe.request(early, "site.example.com", "/").status());
            gw.apply("""
                    apiVersion: networking.istio.io/v1
                    kind: Gateway
                    metadata: {name: gw, namespace: istio-system}
                    spec:
                      selector: {istio: ingressgateway}
                      servers:
                      - port: {number: 443, name: https, protocol: HTTPS}
                        hosts: [site.example.com]
                        tls: {mode: SIMPLE, serverCertificate: %1$s/site/cert.pem, privateKey: %1$s/site/key.pem}
                      - port: {number: 443, name: https-extra, protocol: HTTPS}
                        hosts: [extra.example.com]
                        tls: {mode: SIMPLE, serverCertificate: %1$s/extra/cert.pem, privateKey: %1$s/extra/key.pem}
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: {name: site, namespace: default}
                    spec:
                      hosts: ["*.example.com"]
                      gateways: [istio-system/gw]
                      http:
                      - route: [{destination: {host: site2, port: {number: 80}}}]
                    """.formatted(dir));
            assertEquals(https, gw.runtime.localPort(443), "same socket");
            assertEquals(extra.certificate(), new TlsProbe().sni("extra.example.com").served(https));
            TlsProbe.Response r = TlsProbe.request(early, "site.example.com", "/");
            assertEquals(200, r.status());
            assertEquals("outbound|80||site2.default.svc.cluster.local", EchoForwarderJson.parse(r.body()).get("cluster"),
                    "the open connection routes with the new tables");
        }
        gw.apply("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*"]
                """);
        assertEquals(-1, gw.runtime.localPort(443), "the TLS port closes with its last server");
        assertTrue(new TlsProbe().sni("site.example.com").refused(https, "site.example.com"));
    }
}

package dev.meshgate.gateway.edge;

import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import dev.meshgate.cert.pem.PemCodec;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.testing.GatewayHarness;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MUTUAL and OPTIONAL_MUTUAL through the real GatewayRuntime and the real upstream side: CA check, CRL, SAN, SPKI
 * and hash pins, a port mixing MUTUAL with SIMPLE, and the x-forwarded-client-cert header as the backend sees it.
 */
class MutualTlsE2ETest {

    @TempDir
    static Path dir;
    static CertificateAuthority serverCa;
    static CertificateAuthority clientCa;
    static CertificateAuthority strangerCa;
    static IssuedCertificate good;
    static IssuedCertificate other;
    static IssuedCertificate revoked;
    static IssuedCertificate stranger;
    static Vertx vertx;
    static GatewayHarness gw;
    static HttpServer backend;
    static int https;

    static String sha256Hex(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @BeforeAll
    static void start() throws Exception {
        serverCa = CertificateAuthority.create("server root");
        clientCa = CertificateAuthority.create("client root");
        strangerCa = CertificateAuthority.create("stranger root");
        good = clientCa.issue(LeafSpec.forDns("client.example.com", "alt.example.com")
                .withUris("spiffe://cluster.local/ns/default/sa/good").withCommonName("good client"));
        other = clientCa.issue(LeafSpec.forUri("spiffe://cluster.local/ns/default/sa/other"));
        revoked = clientCa.issue(LeafSpec.forDns("revoked.example.com"));
        stranger = strangerCa.issue(LeafSpec.forDns("client.example.com"));

        Path creds = dir.resolve("credentials");
        EdgeFixture.writeSecret(creds, "istio-system", "mtls-credential",
                serverCa.issue(LeafSpec.forDns("mtls.example.com")), clientCa);
        EdgeFixture.write(creds.resolve("istio-system/mtls-credential/ca.crl"),
                PemCodec.crlsPem(List.of(clientCa.crl(List.of(revoked.certificate()), Duration.ofDays(1)))));
        for (String name : List.of("pinned", "spki", "optional", "simple")) {
            EdgeFixture.writeFiles(dir.resolve(name), serverCa.issue(LeafSpec.forDns(name + ".example.com")),
                    clientCa);
        }
        String hash = sha256Hex(good.certificate().getEncoded()).replaceAll("(..)(?!$)", "$1:").toUpperCase();
        String spki = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(good.certificate().getPublicKey().getEncoded()));

        vertx = EdgeFixture.vertx();
        backend = GatewayHarness.await(vertx.createHttpServer().requestHandler(req -> req.response()
                .putHeader("x-seen-xfcc", String.valueOf(req.getHeader("x-forwarded-client-cert")))
                .end("backend")).listen(0, "127.0.0.1"));
        GatewayRuntime rt = GatewayRuntime.create(vertx, EdgeFixture.options())
                .edgeOptions(EdgeOptions.defaults().withCredentialsDir(creds));
        gw = GatewayHarness.withRuntime(vertx, rt, EdgeFixture.options());
        String server = """
                  - port: {number: 443, name: https-%1$s, protocol: HTTPS}
                    hosts: [%1$s.example.com]
                    tls:
                      mode: %2$s
                      serverCertificate: %3$s/%1$s/cert.pem
                      privateKey: %3$s/%1$s/key.pem
                      caCertificates: %3$s/%1$s/ca.pem
                """;
        gw.apply("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: mtls, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 443, name: https-mtls, protocol: HTTPS}
                    hosts: [mtls.example.com]
                    tls: {mode: MUTUAL, credentialName: mtls-credential}
                """ + server.formatted("pinned", "MUTUAL", dir).stripTrailing() + """

                      subjectAltNames: [spiffe://cluster.local/ns/default/sa/good, spiffe://cluster.local/ns/default/sa/other]
                      verifyCertificateHash: ["%s", "00:11"]
                """.formatted(hash) + server.formatted("spki", "MUTUAL", dir).stripTrailing() + """

                      verifyCertificateSpki: ["%s"]
                """.formatted(spki) + server.formatted("optional", "OPTIONAL_MUTUAL", dir)
                + server.formatted("simple", "SIMPLE", dir) + """
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: all, namespace: default}
                spec:
                  hosts: ["*.example.com"]
                  gateways: [istio-system/mtls]
                  http:
                  - route: [{destination: {host: backend.default.svc.cluster.local, port: {number: 80}}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: backend, namespace: default}
                spec:
                  hosts: [backend.default.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  endpoints: [{address: 127.0.0.1, ports: {http: %d}}]
                """.formatted(backend.actualPort()));
        https = gw.runtime.localPort(443);
        assertTrue(https > 0);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static TlsProbe.Response get(String sni, IssuedCertificate cert) throws Exception {
        return new TlsProbe().sni(sni).clientCert(cert).get(https, sni, "/", "x-forwarded-client-cert",
                "By=forged;Hash=00");
    }

    @Test
    void mutualRefusesNoCertificateStrangersAndRevokedAndAcceptsValid() throws Exception {
        assertTrue(new TlsProbe().sni("mtls.example.com").refused(https, "mtls.example.com"), "no certificate");
        assertTrue(new TlsProbe().sni("mtls.example.com").clientCert(stranger).refused(https, "mtls.example.com"),
                "certificate of another CA");
        assertTrue(new TlsProbe().sni("mtls.example.com").clientCert(revoked).refused(https, "mtls.example.com"),
                "revoked by the credential's ca.crl");
        TlsProbe.Response ok = get("mtls.example.com", good);
        assertEquals(200, ok.status(), ok.body());
        assertEquals("backend", ok.body());
    }

    @Test
    void xfccIsSanitizedThenSetAsIstioDoes() throws Exception {
        String xfcc = get("mtls.example.com", good).header("x-seen-xfcc");
        String hash = sha256Hex(good.certificate().getEncoded());
        assertTrue(xfcc.startsWith("Hash=" + hash + ";Cert=\"-----BEGIN%20CERTIFICATE-----%0A"), xfcc);
        assertTrue(xfcc.contains("-----END%20CERTIFICATE-----%0A\";Subject=\"CN=good client\""), xfcc);
        assertTrue(xfcc.endsWith(";URI=spiffe://cluster.local/ns/default/sa/good;DNS=client.example.com"
                + ";DNS=alt.example.com"), xfcc);
        assertFalse(xfcc.contains("forged"), "the client's own XFCC is dropped");
        // OPTIONAL_MUTUAL without a certificate: no XFCC at all, the forged one dropped too
        TlsProbe.Response anon = get("optional.example.com", null);
        assertEquals(200, anon.status());
        assertEquals("null", anon.header("x-seen-xfcc"));
        // plain SIMPLE server on the same port
        assertEquals("null", get("simple.example.com", null).header("x-seen-xfcc"));
    }

    @Test
    void optionalMutualValidatesWhenPresented() throws Exception {
        assertEquals(200, get("optional.example.com", null).status());
        TlsProbe.Response withCert = get("optional.example.com", good);
        assertEquals(200, withCert.status());
        assertTrue(withCert.header("x-seen-xfcc").contains("Subject=\"CN=good client\""));
        assertTrue(new TlsProbe().sni("optional.example.com").clientCert(stranger)
                .refused(https, "optional.example.com"), "a presented certificate must validate");
    }

    @Test
    void sanAndHashAndSpkiPins() throws Exception {
        assertEquals(200, get("pinned.example.com", good).status(), "SAN and hash (colons, upper case) match");
        assertTrue(new TlsProbe().sni("pinned.example.com").clientCert(other).refused(https, "pinned.example.com"),
                "SAN allowed but hash pin does not match");
        assertTrue(new TlsProbe().sni("pinned.example.com").refused(https, "pinned.example.com"),
                "MUTUAL on a mixed port: no certificate, connection closed");
        assertEquals(200, get("spki.example.com", good).status());
        assertTrue(new TlsProbe().sni("spki.example.com").clientCert(other).refused(https, "spki.example.com"));
        EdgeStatus st = gw.runtime.edge().status();
        assertTrue(st.counters().missingClientCertificate() > 0);
    }

    @Test
    void simpleServerOnTheMixedPortNeedsNoCertificate() throws Exception {
        TlsProbe.Response r = get("simple.example.com", null);
        assertEquals(200, r.status());
        assertEquals("backend", r.body());
    }

    @Test
    void curlOverHttp2WithAClientCertificateCarriesXfcc() throws Exception {
        Path cert = EdgeFixture.write(dir.resolve("client/cert.pem"), good.certificatePem());
        Path key = EdgeFixture.write(dir.resolve("client/key.pem"), good.privateKeyPem());
        Path serverCa = EdgeFixture.write(dir.resolve("client/server-ca.pem"), MutualTlsE2ETest.serverCa.certificatePem());
        EdgeFixture.Result r = EdgeFixture.curl(https, "mtls.example.com", "/", serverCa, "--cert", cert.toString(),
                "--key", key.toString(), "-D", "-", "-H", "x-forwarded-client-cert: By=forged");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("HTTP/2 200"), r.out());
        assertTrue(r.out().contains("x-seen-xfcc: Hash=" + sha256Hex(good.certificate().getEncoded())), r.out());
        assertFalse(r.out().contains("forged"), r.out());
        EdgeFixture.Result none = EdgeFixture.curl(https, "mtls.example.com", "/", serverCa);
        assertTrue(none.exit() != 0 || !none.out().contains("backend"), "no client certificate: " + none.out());
    }
}

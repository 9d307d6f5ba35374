package dev.meshgate.gateway.kubernetes;

import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import dev.meshgate.cert.kubernetes.KubernetesSecretCredentialSource;
import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.testing.GatewayHarness;
import dev.meshgate.gateway.upstream.UpstreamManager;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Istio's egress TLS-origination task in Kubernetes mode: a DestinationRule {@code tls: {mode: MUTUAL,
 * credentialName}} whose Secret lives in the (mock) API server, in the gateway's namespace. The gateway presents the
 * Secret's client certificate to a real BoringSSL backend that requires one; after the Secret is updated through
 * the API, new upstream connections present the new certificate (the backend closes each connection, so every
 * request is a new handshake).
 */
class KubernetesOriginationE2ETest {

    static final String HOST = "api.external.test";

    MockCluster cluster;
    GatewayHarness gw;
    Vertx vertx;
    KubernetesSecretCredentialSource secrets;
    final CertificateAuthority serverCa = CertificateAuthority.create("origination server root");
    final CertificateAuthority clientCa = CertificateAuthority.create("origination client root");
    final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void setUp() {
        cluster = new MockCluster();
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        GatewayOptions opts = GatewayHarness.testOptions();
        secrets = new KubernetesSecretCredentialSource(vertx, cluster.client, List.of(opts.gatewayNamespace()));
        GatewayHarness.await(secrets.start());
        gw = GatewayHarness.withRuntime(vertx, GatewayRuntime.create(vertx, opts).credentialSource(secrets), opts);
    }

    @AfterEach
    void tearDown() {
        secrets.close();
        cluster.close();
        gw.close();
    }

    /** BoringSSL, client certificate required (issued by clientCa), records the presented serial. */
    int backend() {
        return backend(true);
    }

    int backend(boolean clientAuth) {
        IssuedCertificate leaf = serverCa.issue(LeafSpec.forDns(HOST));
        HttpServerOptions o = new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
                .setSslEngineOptions(new OpenSSLEngineOptions())
                .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(leaf.certificatePem()))
                        .setKeyValue(Buffer.buffer(leaf.privateKeyPem())));
        if (clientAuth) {
            o.setClientAuth(ClientAuth.REQUIRED)
                    .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(clientCa.certificatePem())));
        }
        HttpServer s = vertx.createHttpServer(o);
        s.requestHandler(req -> {
            String serial;
            try {
                serial = ((X509Certificate) req.connection().peerCertificates().get(0)).getSerialNumber()
                        .toString(16);
            } catch (Exception none) {
                serial = "none";
            }
            seen.add(serial);
            req.response().putHeader("connection", "close").end("external");
        });
        return GatewayHarness.await(s.listen()).actualPort();
    }

    void config(int backendPort, String credentialName) {
        config(backendPort, credentialName, "MUTUAL");
    }

    void config(int backendPort, String credentialName, String mode) {
        cluster.apply("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["%1$s"]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: api, namespace: istio-system}
                spec:
                  hosts: ["%1$s"]
                  location: MESH_EXTERNAL
                  resolution: STATIC
                  ports:
                  - {number: 443, name: https, protocol: HTTPS}
                  endpoints:
                  - address: 127.0.0.1
                    ports: {https: %2$d}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: api, namespace: istio-system}
                spec:
                  hosts: ["%1$s"]
                  gateways: [gw]
                  http:
                  - route:
                    - destination: {host: "%1$s", port: {number: 443}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: api, namespace: istio-system}
                spec:
                  host: "%1$s"
                  trafficPolicy:
                    portLevelSettings:
                    - port: {number: 443}
                      tls: {mode: %4$s, credentialName: %3$s, sni: "%1$s"}
                """.formatted(HOST, backendPort, credentialName, mode));
        cluster.follow(gw.runtime);
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static Secret secret(String name, String type, Map<String, String> data) {
        return new SecretBuilder().withNewMetadata().withNamespace("istio-system").withName(name).endMetadata()
                .withType(type).withData(data).build();
    }

    Secret tlsSecret(IssuedCertificate c) {
        return secret("client-credential", "kubernetes.io/tls", Map.of("tls.crt", b64(c.certificatePem()),
                "tls.key", b64(c.privateKeyPem()), "ca.crt", b64(serverCa.certificatePem())));
    }

    static String serial(IssuedCertificate c) {
        return c.certificate().getSerialNumber().toString(16);
    }

    UpstreamManager upstream() {
        return (UpstreamManager) gw.runtime.forwarder();
    }

    /** Bounded wait until the origination credential in force has this serial (the Secret was read/rotated). */
    void awaitInForce(String ref, String serial) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            GatewayHarness.await(upstream().originationKeys().pollNow());
            if (serial.equals(upstream().originationKeys().serialInForce(ref))) {
                // the serial is visible before the clients' TLS contexts are renewed: wait for those too
                GatewayHarness.await(upstream().originationKeys().pollNow());
                return;
            }
            Thread.sleep(20);
        }
        fail(ref + " never had serial " + serial + "; in force: "
                + upstream().originationKeys().serialInForce(ref));
    }

    @Test
    void mutualOriginationPresentsTheSecretAndFollowsItsUpdate() throws Exception {
        IssuedCertificate first = clientCa.issue(LeafSpec.forDns("egress.gateway.test"));
        IssuedCertificate second = clientCa.issue(LeafSpec.forDns("egress.gateway.test"));
        assertNotEquals(serial(first), serial(second));
        cluster.client.secrets().resource(tlsSecret(first)).create();
        config(backend(), "client-credential");
        awaitInForce("istio-system/client-credential", serial(first));

        GatewayHarness.Resp r = gw.get(HOST, "/");
        assertEquals(200, r.status(), r.body());
        assertEquals("external", r.body());
        assertEquals(serial(first), seen.poll(), "the backend saw the Secret's certificate");

        cluster.client.secrets().resource(tlsSecret(second)).update();   // rotated through the API
        awaitInForce("istio-system/client-credential", serial(second));
        assertEquals(200, gw.get(HOST, "/").status());
        assertEquals(serial(second), seen.poll(), "a new connection presents the updated Secret's certificate");
    }

    @Test
    void genericSecretWithACompanionCacertSecretIsReadToo() throws Exception {
        IssuedCertificate c = clientCa.issue(LeafSpec.forDns("egress.gateway.test"));
        cluster.client.secrets().resource(secret("api-client", "Opaque", Map.of("cert", b64(c.certificatePem()),
                "key", b64(c.privateKeyPem())))).create();
        cluster.client.secrets().resource(secret("api-client-cacert", "Opaque",
                Map.of("cacert", b64(serverCa.certificatePem())))).create();
        config(backend(), "api-client");
        awaitInForce("istio-system/api-client", serial(c));
        GatewayHarness.Resp r = gw.get(HOST, "/");
        assertEquals(200, r.status(), r.body());
        assertEquals(serial(c), seen.poll());
    }

    @Test
    void aServerNotSignedByTheSecretsCaIsRefused() throws Exception {
        IssuedCertificate c = clientCa.issue(LeafSpec.forDns("egress.gateway.test"));
        CertificateAuthority other = CertificateAuthority.create("someone else");
        cluster.client.secrets().resource(secret("wrong-ca", "Opaque", Map.of("cert", b64(c.certificatePem()),
                "key", b64(c.privateKeyPem()), "cacert", b64(other.certificatePem())))).create();
        config(backend(), "wrong-ca");
        awaitInForce("istio-system/wrong-ca", serial(c));
        assertEquals(503, gw.get(HOST, "/").status(), "the upstream is verified with the Secret's CA");
        assertEquals(null, seen.poll());
    }

    @Test
    void simpleOriginationReadsACaOnlySecretAndFollowsItsUpdate() throws Exception {
        CertificateAuthority other = CertificateAuthority.create("not the server's");
        cluster.client.secrets().resource(secret("api-ca", "Opaque", Map.of("cacert",
                b64(other.certificatePem())))).create();
        config(backend(false), "api-ca", "SIMPLE");
        GatewayHarness.await(upstream().originationKeys().pollNow());
        assertEquals(503, gw.get(HOST, "/").status(), "verified with the Secret's CA, which did not sign the server");

        cluster.client.secrets().resource(secret("api-ca", "Opaque", Map.of("ca.crt",
                b64(serverCa.certificatePem())))).update();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int status = 0;
        while (System.nanoTime() < deadline && status != 200) {
            GatewayHarness.await(upstream().originationKeys().pollNow());
            status = gw.get(HOST, "/").status();
        }
        assertEquals(200, status, "the updated Secret's CA verifies new connections");
        assertEquals("none", seen.poll(), "SIMPLE presents no client certificate");
    }
}

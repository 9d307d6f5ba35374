package dev.meshgate.gateway.kubernetes;

import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import dev.meshgate.cert.kubernetes.KubernetesSecretCredentialSource;
import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.testing.Backends;
import dev.meshgate.gateway.testing.GatewayHarness;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An HTTPS Gateway whose {@code credentialName} is a Secret in the (mock) API server: the gateway runtime, with the
 * Kubernetes Secret source as its credential source, serves the Secret's certificate, then the rotated one, to
 * real TLS handshakes on 127.0.0.1.
 */
class KubernetesCredentialE2ETest {

    MockCluster cluster;
    GatewayHarness gw;
    KubernetesSecretCredentialSource secrets;
    CertificateAuthority ca = CertificateAuthority.create("cluster root");

    @BeforeEach
    void setUp() {
        cluster = new MockCluster();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        GatewayOptions opts = GatewayHarness.testOptions().withPortMap(Map.of(443, 0));
        secrets = new KubernetesSecretCredentialSource(vertx, cluster.client, List.of(opts.gatewayNamespace()));
        GatewayHarness.await(secrets.start());
        Backends backends = new Backends(vertx);
        cluster.service("reviews", 9080);
        cluster.workload("reviews", "v1", backends.start("reviews", "v1"));
        gw = GatewayHarness.withRuntime(vertx, GatewayRuntime.create(vertx, opts).credentialSource(secrets), opts);
    }

    @AfterEach
    void tearDown() {
        secrets.close();
        cluster.close();
        gw.close();
    }

    static Secret secret(IssuedCertificate c) {
        return new SecretBuilder().withNewMetadata().withNamespace("istio-system").withName("bookinfo-cert")
                .endMetadata().withType("kubernetes.io/tls").withData(Map.of(
                        "tls.crt", b64(c.certificatePem()), "tls.key", b64(c.privateKeyPem()))).build();
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void credentialNameIsServedFromTheSecretAndFollowsItsRotation() throws Exception {
        IssuedCertificate v1 = ca.issue(LeafSpec.forDns("bookinfo.example.com"));
        cluster.client.secrets().resource(secret(v1)).create();
        cluster.apply("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 443, name: https, protocol: HTTPS}
                    hosts: [bookinfo.example.com]
                    tls: {mode: SIMPLE, credentialName: bookinfo-cert}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews, namespace: default}
                spec:
                  hosts: [bookinfo.example.com]
                  gateways: [istio-system/gw]
                  http:
                  - route:
                    - destination: {host: reviews}
                """);
        cluster.follow(gw.runtime);
        int port = awaitPort(443);

        assertEquals(v1.certificate().getSerialNumber(), awaitServed(port, v1.certificate().getSerialNumber()));
        String response = request(port, "/reviews/1");
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        assertTrue(response.endsWith("reviews-v1"), response);

        IssuedCertificate v2 = ca.issue(LeafSpec.forDns("bookinfo.example.com"));
        cluster.client.secrets().resource(secret(v2)).update();       // the Secret rotated through the API
        assertEquals(v2.certificate().getSerialNumber(), awaitServed(port, v2.certificate().getSerialNumber()));
        assertTrue(request(port, "/reviews/2").startsWith("HTTP/1.1 200"));
    }

    int awaitPort(int servicePort) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            int p = gw.runtime.localPort(servicePort);
            if (p > 0) {
                return p;
            }
            Thread.sleep(10);
        }
        fail("no listener for " + servicePort + ": " + gw.runtime.boundPorts());
        return -1;
    }

    /** Bounded polling with real handshakes until the served certificate has {@code serial}; returns the last. */
    BigInteger awaitServed(int port, BigInteger serial) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        BigInteger last = null;
        while (System.nanoTime() < deadline) {
            try (SSLSocket s = connect(port)) {
                s.startHandshake();
                last = ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
            } catch (java.io.IOException e) {
                last = null; // not serving yet
            }
            if (serial.equals(last)) {
                return last;
            }
            Thread.sleep(20);
        }
        return last;
    }

    static SSLSocket connect(int port) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // the test inspects the served certificate itself
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName("bookinfo.example.com")));
        s.setSSLParameters(p);
        return s;
    }

    static String request(int port, String path) throws Exception {
        try (SSLSocket s = connect(port)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: bookinfo.example.com\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        }
    }
}

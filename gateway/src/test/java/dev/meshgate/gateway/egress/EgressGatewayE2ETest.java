package dev.meshgate.gateway.egress;

import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.testing.GatewayHarness;
import dev.meshgate.gateway.upstream.UpstreamManager;
import dev.meshgate.gateway.upstream.UpstreamOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import static dev.meshgate.gateway.testing.GatewayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same binary as an egress gateway ({@code istio=egressgateway}): Istio's egress-gateway task resources
 * (Gateway + VirtualService mesh -> egress gateway -> external host + DestinationRule + ServiceEntry) with the
 * "external" hosts played by backends on 127.0.0.2 and 127.0.0.3.
 */
class EgressGatewayE2ETest {

    @TempDir
    static Path dir;
    static Vertx vertx;
    static GatewayHarness gw;
    static UpstreamManager upstreams;
    static final ConcurrentLinkedQueue<String> tlsSni = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        int plain = await(vertx.createHttpServer().requestHandler(req -> req.response()
                .end("cnn via " + req.authority().host())).listen(0, "127.0.0.2")).actualPort();
        CertificateAuthority ca = CertificateAuthority.create("external root");
        IssuedCertificate leaf = ca.issue(LeafSpec.forDns("secure.external.test"));
        Path caFile = Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
        int tls = await(vertx.createHttpServer(new HttpServerOptions().setSsl(true).setSni(true)
                        .setSslEngineOptions(new OpenSSLEngineOptions())
                        .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(leaf.certificatePem()))
                                .setKeyValue(Buffer.buffer(leaf.privateKeyPem()))))
                .requestHandler(req -> {
                    tlsSni.add(String.valueOf(req.connection().indicatedServerName()));
                    req.response().end("secure over " + (req.isSSL() ? "https" : "http"));
                }).listen(0, "127.0.0.3")).actualPort();

        GatewayOptions options = GatewayHarness.testOptions();
        options = new GatewayOptions(Map.of("istio", "egressgateway", "app", "istio-egressgateway"),
                options.gatewayNamespace(), options.portMap(), options.eventLoops(), options.acceptHttp10(),
                options.bindHost());
        // what GatewayRuntime.create does for an istio=egressgateway instance, keeping the manager for its counters
        upstreams = new UpstreamManager(vertx, new UpstreamOptions(options.gatewayNamespace(), null, null, null, true));
        GatewayRuntime rt = new GatewayRuntime(vertx, upstreams);
        gw = GatewayHarness.withRuntime(vertx, rt, options);
        gw.apply("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: istio-egressgateway, namespace: default}
                spec:
                  selector: {istio: egressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: [edition.cnn.com, secure.external.test, unknown.external.test]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: egressgateway-for-cnn, namespace: default}
                spec:
                  host: istio-egressgateway.istio-system.svc.cluster.local
                  subsets:
                  - name: cnn
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: direct-cnn-through-egress-gateway, namespace: default}
                spec:
                  hosts: [edition.cnn.com]
                  gateways: [istio-egressgateway, mesh]
                  http:
                  - match:
                    - gateways: [mesh]
                      port: 80
                    route:
                    - destination:
                        host: istio-egressgateway.istio-system.svc.cluster.local
                        subset: cnn
                        port: {number: 80}
                      weight: 100
                  - match:
                    - gateways: [istio-egressgateway]
                      port: 80
                    route:
                    - destination:
                        host: edition.cnn.com
                        port: {number: 80}
                      weight: 100
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: cnn, namespace: default}
                spec:
                  hosts: [edition.cnn.com]
                  ports:
                  - {number: 80, name: http-port, protocol: HTTP}
                  - {number: 443, name: https, protocol: HTTPS}
                  resolution: DNS
                  endpoints:
                  - address: 127.0.0.2
                    ports: {http-port: %d}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: secure-through-egress-gateway, namespace: default}
                spec:
                  hosts: [secure.external.test]
                  gateways: [istio-egressgateway]
                  http:
                  - route:
                    - destination:
                        host: secure.external.test
                        port: {number: 443}
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: secure, namespace: default}
                spec:
                  hosts: [secure.external.test]
                  ports:
                  - {number: 443, name: https, protocol: HTTPS}
                  resolution: DNS
                  endpoints:
                  - address: 127.0.0.3
                    ports: {https: %d}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: originate-tls-for-secure, namespace: default}
                spec:
                  host: secure.external.test
                  trafficPolicy:
                    portLevelSettings:
                    - port: {number: 443}
                      tls:
                        mode: SIMPLE
                        caCertificates: %s
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: unknown-through-egress-gateway, namespace: default}
                spec:
                  hosts: [unknown.external.test]
                  gateways: [istio-egressgateway]
                  http:
                  - route:
                    - destination:
                        host: unknown.external.test
                        port: {number: 80}
                """.formatted(plain, tls, caFile));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void registeredExternalHostIsReachedThroughTheEgressGateway() {
        GatewayHarness.Resp r = gw.get("edition.cnn.com", "/politics");
        assertEquals(200, r.status(), r.body());
        assertEquals("cnn via edition.cnn.com", r.body());
    }

    @Test
    void tlsIsOriginatedAtTheEgressGatewayWithTheHostAsSni() {
        GatewayHarness.Resp r = gw.get("secure.external.test", "/");
        assertEquals(200, r.status(), r.body());
        assertEquals("secure over https", r.body());
        assertEquals("secure.external.test", tlsSni.poll());
    }

    @Test
    void unregisteredHostIsRefusedWith502NamingTheHost() {
        GatewayHarness.Resp r = gw.get("unknown.external.test", "/");
        assertEquals(502, r.status(), r.body());
        assertTrue(r.body().contains("unknown.external.test"), r.body());
        assertTrue(r.body().contains("not registered by any ServiceEntry"), r.body());
        assertEquals(1L, upstreams.refusedHosts().get("unknown.external.test"));
    }
}

package dev.meshgate.gateway.edge;

import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import dev.meshgate.gateway.testing.GatewayHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The edge's metrics: engine, refused connections, certificate expiry per credential. */
class EdgeMetricsTest {

    @TempDir
    Path dir;

    @Test
    void engineRefusalsAndExpiry() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("metrics root");
        IssuedCertificate leaf = ca.issue(LeafSpec.forDns("m.example.com"));
        EdgeFixture.writeFiles(dir.resolve("m"), leaf, null);
        Vertx vertx = EdgeFixture.vertx();
        GatewayHarness gw = EdgeFixture.echoGateway(vertx, EdgeOptions.defaults());
        try {
            gw.apply("""
                    apiVersion: networking.istio.io/v1
                    kind: Gateway
                    metadata: {name: gw, namespace: istio-system}
                    spec:
                      selector: {istio: ingressgateway}
                      servers:
                      - port: {number: 443, name: https, protocol: HTTPS}
                        hosts: [m.example.com]
                        tls: {mode: SIMPLE, serverCertificate: %1$s/m/cert.pem, privateKey: %1$s/m/key.pem}
                    """.formatted(dir));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (EdgeMetrics m = EdgeMetrics.bindTo(registry, vertx, gw.runtime.edge(), 60_000)) {
                assertEquals(1.0, registry.get("meshgate_tls_engine").tag("engine", "BoringSSL")
                        .tag("native", "true").gauge().value());
                assertEquals((double) leaf.certificate().getNotAfter().toInstant().getEpochSecond(),
                        registry.get(EdgeMetrics.EXPIRY).tag("credential", "file:" + dir.resolve("m/cert.pem"))
                                .gauge().value());
                int port = gw.runtime.localPort(443);
                assertTrue(new TlsProbe().sni("nobody.example.org").refused(port, "nobody.example.org"));
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (registry.get("meshgate_tls_connections_refused_total").tag("reason", "handshake_failed")
                        .functionCounter().count() < 1 && System.nanoTime() < deadline) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
                assertEquals(1.0, registry.get("meshgate_tls_connections_refused_total")
                        .tag("reason", "handshake_failed").functionCounter().count());
                assertEquals(0.0, registry.get("meshgate_tls_connections_refused_total")
                        .tag("reason", "filter_chain_not_found").functionCounter().count());
                m.refresh();
                assertEquals(1, registry.find(EdgeMetrics.EXPIRY).gauges().size());
            }
        } finally {
            gw.close();
        }
    }
}

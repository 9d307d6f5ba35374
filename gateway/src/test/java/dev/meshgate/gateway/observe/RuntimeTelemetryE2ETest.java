package dev.meshgate.gateway.observe;

import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.testing.GatewayHarness;
import dev.meshgate.gateway.testing.TestConfig;
import dev.meshgate.gateway.upstream.UpstreamManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real GatewayRuntime, routing and UpstreamManager forwarding to a real backend on 127.0.0.1, observed by the
 * real Observability. Until the listener calls {@code ExchangeTracker.begin} itself, the tracker is attached
 * where the exchange reaches the forwarder, so this covers forwarded requests (200, 504 UT) but not local replies.
 */
class RuntimeTelemetryE2ETest {

    static final Map<String, String> LABELS = Map.of("istio", "ingressgateway");

    @TempDir
    Path dir;
    GatewayHarness gw;
    Observability obs;

    @AfterEach
    void tearDown() {
        if (gw != null) {
            GatewayHarness.await(obs.stop());
            gw.close();
        }
    }

    @Test
    void forwardedRequestsAreMeasuredAndLogged() throws Exception {
        Vertx vertx = Vertx.vertx();
        HttpServer backend = vertx.createHttpServer().requestHandler(req -> {
            if (req.path().startsWith("/slow")) {
                return; // never answers: the route timeout fires
            }
            req.response().end("hello");
        });
        int backendPort = GatewayHarness.await(backend.listen(0, "127.0.0.1")).actualPort();

        Path file = dir.resolve("access.log");
        obs = Observability.create(ObserveOptions.defaults().forTests()
                        .withAccessLog(file.toString(), AccessLogFormat.TEXT).withDrain(Duration.ZERO, null),
                Map.of("POD_NAME", "istio-ingressgateway-5d8f9c7b5d-x2k4q", "POD_NAMESPACE", "istio-system"),
                LABELS, "istio-system");
        GatewayHarness.await(obs.start(vertx));
        UpstreamManager upstreams = new UpstreamManager(vertx);
        // the listener itself tracks every exchange, as in meshgate run
        GatewayRuntime rt = new GatewayRuntime(vertx, upstreams, upstreams::apply, upstreams::close)
                .observe(obs.tracker());
        gw = GatewayHarness.withRuntime(vertx, rt, GatewayHarness.testOptions());
        gw.apply(TestConfig.gateway("*"), """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: backend, namespace: istio-system}
                spec:
                  hosts: [backend.internal]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 8080, name: http, protocol: HTTP}]
                  endpoints: [{address: 127.0.0.1, ports: {http: %d}}]
                """.formatted(backendPort), """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: site, namespace: istio-system}
                spec:
                  hosts: ["*"]
                  gateways: [gw]
                  http:
                  - name: slow
                    match: [{uri: {prefix: /slow}}]
                    timeout: 200ms
                    route: [{destination: {host: backend.internal, port: {number: 8080}}}]
                  - name: main
                    route: [{destination: {host: backend.internal, port: {number: 8080}}}]
                """);
        obs.applied(1, true);
        obs.upstreamMetrics().update(upstreams.clusters());

        for (int i = 0; i < 3; i++) {
            assertEquals(200, gw.get("shop.example.com", "/items/" + i, "x-request-id", "r" + i).status());
        }
        GatewayHarness.Resp slow = gw.get("shop.example.com", "/slow", "x-request-id", "slow");
        assertEquals(504, slow.status());
        for (int i = 0; i < 500 && obs.inFlight().count() > 0; i++) {
            Thread.sleep(10); // bounded poll on the condition
        }
        assertEquals(0, obs.inFlight().count());

        PromText prom = PromText.parse(obs.registry().scrape());
        Map<String, String> ok = Map.of("destination_service", "backend.internal", "response_code", "200",
                "response_flags", "-", "request_protocol", "http", "reporter", "source",
                "source_workload", "istio-ingressgateway", "source_workload_namespace", "istio-system");
        assertEquals(3, prom.sum("istio_requests_total", ok));
        assertEquals(15, prom.sum("istio_response_bytes_sum", ok));
        assertEquals(1, prom.sum("istio_requests_total", Map.of("destination_service", "backend.internal",
                "response_code", "504", "response_flags", "UT")));
        assertEquals(4, prom.sum("istio_requests_total", Map.of()));
        assertEquals(1, prom.sum("meshgate_upstream_endpoints", Map.of("cluster_name",
                "outbound|8080||backend.internal")));

        AccessLogTest.waitWritten(obs.accessLog().writer(), 4);
        List<String> lines = Files.readAllLines(file);
        assertEquals(4, lines.size());
        for (int i = 0; i < 3; i++) {
            Matcher m = AccessLogTest.TEXT.matcher(lines.get(i));
            assertTrue(m.matches(), lines.get(i));
            assertEquals("GET", m.group(2));
            assertEquals("/items/" + i, m.group(3));
            assertEquals("200", m.group(5));
            assertEquals("-", m.group(6));
            assertEquals("via_upstream", m.group(7));
            assertEquals("5", m.group(11));
            assertTrue(m.group(13).matches("\\d+"), "upstream service time " + m.group(13));
            assertEquals("127.0.0.1", m.group(14));
            assertEquals("r" + i, m.group(16));
            assertEquals("shop.example.com", m.group(17));
            assertEquals("127.0.0.1:" + backendPort, m.group(18));
            assertEquals("outbound|8080||backend.internal", m.group(19));
            assertEquals("127.0.0.1:" + gw.port(), m.group(21));
            assertEquals("main", m.group(24));
        }
        Matcher m = AccessLogTest.TEXT.matcher(lines.get(3));
        assertTrue(m.matches(), lines.get(3));
        assertEquals("504", m.group(5));
        assertEquals("UT", m.group(6));
        assertEquals("upstream_response_timeout", m.group(7));
        assertEquals("slow", m.group(24));
    }
}

package dev.meshgate.gateway.observe;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IstioMetricsTest {

    static final Set<String> HTTP_LABELS = new TreeSet<>(List.of("reporter", "source_workload",
            "source_canonical_service", "source_canonical_revision", "source_workload_namespace", "source_principal",
            "source_app", "source_version", "source_cluster", "destination_workload",
            "destination_workload_namespace", "destination_principal", "destination_app", "destination_version",
            "destination_service", "destination_canonical_service", "destination_canonical_revision",
            "destination_service_name", "destination_service_namespace", "destination_cluster", "request_protocol",
            "response_code", "grpc_response_status", "response_flags", "connection_security_policy"));

    Vertx vertx;
    PrometheusMeterRegistry registry;
    InFlightRequests inFlight;
    MixServer mix;
    StatsEndpoint stats;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WorkloadIdentity id = WorkloadIdentity.resolve(
                Map.of("POD_NAME", "istio-ingressgateway-6d8f9c7b5d-x2k4q", "POD_NAMESPACE", "istio-system"),
                Map.of("app", "istio-ingressgateway", "istio", "ingressgateway"), null);
        inFlight = new InFlightRequests();
        mix = new MixServer(vertx, new ExchangeTracker(CompositeObserver.of(inFlight, new IstioMetrics(registry, id))));
        mix.start();
        stats = MixServer.await(new StatsEndpoint(registry).start(vertx, "127.0.0.1", 0));
    }

    @AfterEach
    void tearDown() throws Exception {
        mix.close();
        stats.stop();
        MixServer.await(vertx.close());
    }

    String scrape() throws Exception {
        var client = vertx.createHttpClient();
        try {
            // started on an event loop: Vert.x 5.0.7 clients driven from plain threads now and then miss a response
            io.vertx.core.Promise<io.vertx.core.buffer.Buffer> body = io.vertx.core.Promise.promise();
            vertx.getOrCreateContext().runOnContext(v -> client
                    .request(HttpMethod.GET, stats.actualPort(), "127.0.0.1", StatsEndpoint.PATH)
                    .compose(r -> r.send()).compose(resp -> {
                        assertEquals(200, resp.statusCode());
                        assertTrue(resp.getHeader("content-type").startsWith("text/plain; version=0.0.4"));
                        return resp.body();
                    }).onComplete(body));
            return MixServer.await(body.future()).toString();
        } finally {
            client.close();
        }
    }

    @Test
    void knownMixGivesExactCountsUnderIstioLabels() throws Exception {
        mix.sendMix();
        assertEquals(0, inFlight.count());
        String text = scrape();
        java.nio.file.Files.writeString(java.nio.file.Path.of("target/scrape.txt"), text);
        PromText prom = PromText.parse(text);

        assertEquals("counter", prom.types.get("istio_requests_total"));
        assertEquals("histogram", prom.types.get("istio_request_duration_milliseconds"));
        assertEquals("histogram", prom.types.get("istio_request_bytes"));
        assertEquals("histogram", prom.types.get("istio_response_bytes"));

        String reviews = "reviews.default.svc.cluster.local";
        assertEquals(3, prom.sum("istio_requests_total", Map.of("destination_service", reviews,
                "response_code", "200", "response_flags", "-", "request_protocol", "http",
                "grpc_response_status", "")));
        assertEquals(2, prom.sum("istio_requests_total", Map.of("destination_service", "nope.example.com",
                "destination_service_name", "nope.example.com", "destination_service_namespace", "unknown",
                "response_code", "404", "response_flags", "NR")));
        assertEquals(1, prom.sum("istio_requests_total", Map.of("destination_service", reviews,
                "response_code", "503", "response_flags", "UO")));
        assertEquals(1, prom.sum("istio_requests_total", Map.of("destination_service", reviews,
                "response_code", "504", "response_flags", "UT")));
        assertEquals(1, prom.sum("istio_requests_total", Map.of("destination_service",
                "grpc.default.svc.cluster.local", "request_protocol", "grpc", "grpc_response_status", "0",
                "response_code", "200")));
        assertEquals(8, prom.sum("istio_requests_total", Map.of()));
        assertEquals(5, prom.series("istio_requests_total").size());

        for (PromText.Sample s : prom.series("istio_requests_total")) {
            assertEquals(HTTP_LABELS, new TreeSet<>(s.labels().keySet()), s.toString());
            assertEquals("source", s.labels().get("reporter"));
            assertEquals("istio-ingressgateway", s.labels().get("source_workload"));
            assertEquals("istio-system", s.labels().get("source_workload_namespace"));
            assertEquals("istio-ingressgateway", s.labels().get("source_app"));
            assertEquals("istio-ingressgateway", s.labels().get("source_canonical_service"));
            assertEquals("latest", s.labels().get("source_canonical_revision"));
            assertEquals("unknown", s.labels().get("source_version"));
            assertEquals("unknown", s.labels().get("destination_workload"));
            assertEquals("unknown", s.labels().get("connection_security_policy"));
        }
        Map<String, String> ok = Map.of("destination_service", reviews, "destination_service_name", "reviews",
                "destination_service_namespace", "default", "response_code", "200");
        assertEquals(3, prom.sum("istio_request_duration_milliseconds_count", ok));
        assertEquals(3, prom.sum("istio_request_bytes_count", ok));
        assertEquals(12, prom.sum("istio_request_bytes_sum", ok));
        assertEquals(15, prom.sum("istio_response_bytes_sum", ok));
        // "hello" is 5 bytes: in the le=5 bucket, not in le=1
        assertEquals(3, prom.sum("istio_response_bytes_bucket", merge(ok, "le", "5.0")));
        assertEquals(0, prom.sum("istio_response_bytes_bucket", merge(ok, "le", "1.0")));

        Set<Double> les = new TreeSet<>();
        for (PromText.Sample s : prom.series("istio_request_duration_milliseconds_bucket")) {
            les.add(PromText.number(s.labels().get("le"), ""));
        }
        Set<Double> expected = new TreeSet<>();
        for (double b : IstioMetrics.BUCKETS) {
            expected.add(b);
        }
        expected.add(Double.POSITIVE_INFINITY);
        assertEquals(expected, les);

        Map<String, String> grpc = Map.of("request_protocol", "grpc", "grpc_response_status", "0");
        assertEquals(1, prom.sum("istio_request_messages_total", grpc));
        assertEquals(2, prom.sum("istio_response_messages_total", grpc));
        assertEquals(1, prom.series("istio_request_messages_total").size());
    }

    @Test
    void tcpCountersCarryTcpLabels() throws Exception {
        IstioMetrics m = new IstioMetrics(registry, WorkloadIdentity.unknown());
        IstioMetrics.TcpMeters t = m.tcp("outbound|5432||db.data.svc.cluster.local", Set.of());
        t.connectionOpened();
        t.bytes(100, 40);
        t.bytes(0, 2);
        t.connectionClosed();
        assertEquals(t, m.tcp("outbound|5432||db.data.svc.cluster.local", Set.of()));
        PromText prom = PromText.parse(scrape());
        Map<String, String> db = Map.of("destination_service", "db.data.svc.cluster.local",
                "destination_service_name", "db", "destination_service_namespace", "data",
                "request_protocol", "tcp", "response_flags", "-", "source_workload", "unknown");
        assertEquals(1, prom.sum("istio_tcp_connections_opened_total", db));
        assertEquals(1, prom.sum("istio_tcp_connections_closed_total", db));
        assertEquals(100, prom.sum("istio_tcp_sent_bytes_total", db));
        assertEquals(42, prom.sum("istio_tcp_received_bytes_total", db));
        PromText.Sample s = prom.series("istio_tcp_sent_bytes_total").get(0);
        Set<String> tcpLabels = new TreeSet<>(HTTP_LABELS);
        tcpLabels.remove("response_code");
        tcpLabels.remove("grpc_response_status");
        assertEquals(tcpLabels, new TreeSet<>(s.labels().keySet()));
    }

    @Test
    void metersAreCachedPerLabelSet() {
        IstioMetrics m = new IstioMetrics(registry, WorkloadIdentity.unknown());
        for (int i = 0; i < 1000; i++) {
            m.record(MixServer.REVIEWS, "a", 200, 0, false, -1, 1.0, 0, 0, 0, 0);
        }
        m.record(MixServer.REVIEWS, "a", 503, IstioMetrics.flagBits(Set.of(
                dev.meshgate.gateway.exchange.ResponseFlag.UO, dev.meshgate.gateway.exchange.ResponseFlag.URX)),
                false, -1, 1.0, 0, 0, 0, 0);
        assertEquals(2, registry.find("istio_requests_total").counters().size());
        assertEquals(1000, registry.find("istio_requests_total").tag("response_code", "200").counter().count());
        assertEquals("UO,URX", registry.find("istio_requests_total").tag("response_code", "503").counter().getId()
                .getTag("response_flags"));
    }

    @Test
    void hostHeaderFallbackIsCapped() {
        IstioMetrics m = new IstioMetrics(registry, WorkloadIdentity.unknown());
        for (int i = 0; i < IstioMetrics.MAX_FALLBACK_SERIES + 50; i++) {
            m.record(null, "h" + i + ".example.com", 404, 1, false, -1, 1.0, 0, 0, 0, 0);
        }
        assertEquals(IstioMetrics.MAX_FALLBACK_SERIES + 1, registry.find("istio_requests_total").counters().size());
        assertEquals(50, registry.find("istio_requests_total").tag("destination_service", "unknown").counter()
                .count());
    }

    private static Map<String, String> merge(Map<String, String> m, String k, String v) {
        var out = new java.util.HashMap<>(m);
        out.put(k, v);
        return out;
    }
}

package dev.meshgate.gateway.observe;

import dev.meshgate.gateway.testing.TestConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObservabilityTest {

    static final Map<String, String> LABELS = Map.of("istio", "ingressgateway", "app", "istio-ingressgateway");

    @TempDir
    Path dir;
    Vertx vertx;

    @AfterEach
    void tearDown() throws Exception {
        if (vertx != null) {
            MixServer.await(vertx.close());
        }
    }

    private String get(int port, String path) throws Exception {
        // started on an event loop: Vert.x 5.0.7 clients driven from plain threads now and then miss a response
        io.vertx.core.Promise<String> result = io.vertx.core.Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> {
            var client = vertx.createHttpClient();
            client.request(HttpMethod.GET, port, "127.0.0.1", path).compose(r -> r.send())
                    .compose(resp -> resp.body().map(b -> resp.statusCode() + "\n" + b))
                    .eventually(() -> client.close())
                    .onComplete(result);
        });
        return MixServer.await(result.future());
    }

    @Test
    void wiredFacadeServesMetricsReadinessAndFollowsTelemetry() throws Exception {
        Path file = dir.resolve("access.log");
        ObserveOptions opts = ObserveOptions.defaults().forTests()
                .withAccessLog(file.toString(), AccessLogFormat.TEXT)
                .withDrain(Duration.ZERO, Duration.ofSeconds(5));
        Observability obs = Observability.create(opts, Map.of("POD_NAME", "edge-7c9d8f6b5d-abcde"), LABELS,
                "istio-system");
        vertx = Observability.configure(Vertx.builder(), new VertxOptions(), obs.registry()).build();
        MixServer.await(obs.start(vertx));
        assertTrue(get(obs.healthPort(), HealthEndpoint.PATH).startsWith("503"));
        obs.applied(1, true);
        assertTrue(get(obs.healthPort(), HealthEndpoint.PATH).startsWith("200"));

        MixServer mix = new MixServer(vertx, obs.tracker());
        mix.start();
        mix.sendMix();
        AccessLogTest.waitWritten(obs.accessLog().writer(), 8);

        String scrape = get(obs.statsPort(), StatsEndpoint.PATH);
        assertTrue(scrape.startsWith("200\n"));
        PromText prom = PromText.parse(scrape.substring(4));
        assertEquals(8, prom.sum("istio_requests_total", Map.of("source_workload", "edge",
                "source_app", "istio-ingressgateway")));
        assertTrue(prom.types.containsKey("jvm_memory_used_bytes"), "JVM metrics");
        assertTrue(prom.types.containsKey("process_uptime_seconds"), "process metrics");
        assertTrue(prom.types.keySet().stream().anyMatch(n -> n.startsWith("vertx_http_client")),
                "Vert.x client metrics: " + prom.types.keySet());
        assertFalse(prom.types.keySet().stream().anyMatch(n -> n.startsWith("vertx_http_server")),
                "server-side Vert.x metrics stay off");
        assertEquals(0, prom.sum(AccessLog.DROPPED_METRIC, Map.of()));

        // a Telemetry resource turns the log off; the next request is not logged
        obs.onSnapshot(TestConfig.snapshot("""
                apiVersion: telemetry.istio.io/v1
                kind: Telemetry
                metadata: {name: mesh-default, namespace: istio-system}
                spec:
                  accessLogging:
                  - disabled: true
                """), LABELS, "istio-system", "istio-system");
        assertFalse(obs.accessLog().settings().enabled());
        assertEquals(404, mix.send(HttpMethod.GET, "/nr", "x.example.com", null, null));
        // and an empty snapshot gives the flags back
        obs.onSnapshot(TestConfig.snapshot(TestConfig.gateway()), LABELS, "istio-system", "istio-system");
        assertTrue(obs.accessLog().settings().enabled());
        assertEquals(404, mix.send(HttpMethod.GET, "/nr", "y.example.com", null, null));
        AccessLogTest.waitWritten(obs.accessLog().writer(), 9);

        DrainController drain = obs.drainController(vertx, mix.server::close);
        MixServer.await(drain.drain());
        assertTrue(get(obs.healthPort(), HealthEndpoint.PATH).startsWith("503\ndraining"));
        MixServer.await(obs.stop());
        var lines = Files.readAllLines(file);
        assertEquals(9, lines.size());
        assertTrue(lines.get(8).contains("\"y.example.com\""), lines.get(8));
    }

    @Test
    void cliOptionsParse() {
        ObserveCliOptions cli = new ObserveCliOptions();
        cli.accessLog = "-";
        cli.accessLogEncoding = "json";
        cli.drainDuration = "1.5s";
        ObserveOptions o = cli.toOptions();
        assertEquals("-", o.accessLog());
        assertEquals(AccessLogFormat.JSON, o.accessLogEncoding());
        assertEquals(Duration.ofMillis(1500), o.drainDuration());
        assertEquals(Duration.ofSeconds(30), o.maxInFlightWait());
        assertEquals(15090, o.statsPort());
        assertEquals(15021, o.healthPort());
        assertTrue(o.accessLogSettings().enabled());
        assertEquals(Duration.ofMillis(250), ObserveCliOptions.parseDuration("x", "250ms"));
        assertEquals(Duration.ofMinutes(2), ObserveCliOptions.parseDuration("x", "2m"));
        assertEquals(Duration.ZERO, ObserveCliOptions.parseDuration("x", "0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ObserveCliOptions.parseDuration("--drain-duration", "soon"));
        assertTrue(e.getMessage().startsWith("--drain-duration 'soon'"));
        cli.accessLogEncoding = "xml";
        assertThrows(IllegalArgumentException.class, cli::toOptions);
        assertFalse(ObserveOptions.defaults().accessLogSettings().enabled());
    }

    @Test
    void workloadIdentityFromEnvironment() {
        WorkloadIdentity id = WorkloadIdentity.resolve(Map.of("ISTIO_META_WORKLOAD_NAME", "ingress",
                "POD_NAME", "ignored-5d8f9c7b5d-x2k4q", "ISTIO_META_CLUSTER_ID", "Kubernetes"),
                Map.of("app", "gw", "version", "v2"), "edge-ns");
        assertEquals("ingress", id.workload());
        assertEquals("edge-ns", id.namespace());
        assertEquals("gw", id.app());
        assertEquals("v2", id.version());
        assertEquals("gw", id.canonicalService());
        assertEquals("v2", id.canonicalRevision());
        assertEquals("Kubernetes", id.cluster());
        assertEquals("unknown", id.principal());
        assertEquals("istio-ingressgateway", WorkloadIdentity.deploymentOf("istio-ingressgateway-5d8f9c7b5d-x2k4q"));
        assertEquals("my-pod", WorkloadIdentity.deploymentOf("my-pod"));
        assertEquals("web-0", WorkloadIdentity.deploymentOf("web-0"));
        WorkloadIdentity none = WorkloadIdentity.resolve(Map.of(), Map.of(), null);
        assertEquals("unknown", none.workload());
        assertEquals("unknown", none.namespace());
        assertEquals("latest", none.canonicalRevision());
    }
}

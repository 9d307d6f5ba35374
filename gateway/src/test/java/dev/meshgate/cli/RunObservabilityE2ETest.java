package dev.meshgate.cli;

import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code meshgate run} as operators see it: readiness on the health port, Istio's metrics on the stats port and
 * the access log, all fed by real traffic through the real listener.
 */
class RunObservabilityE2ETest {

    @TempDir
    Path dir;

    private final HttpProbe http = new HttpProbe();
    private InProcessRun run;

    @AfterEach
    void stop() throws Exception {
        if (run != null) {
            run.close();
        }
        http.close();
    }

    @Test
    void trafficShowsInMetricsAccessLogAndReadiness() throws Exception {
        HttpServer backend = HttpProbe.await(http.vertx.createHttpServer()
                .requestHandler(req -> req.response().end("ok"))
                .listen(0, "127.0.0.1"));
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("gw.yaml"), AdminRunE2ETest.gateway());
        Files.writeString(config.resolve("backend.yaml"), AdminRunE2ETest.serviceEntry(backend.actualPort()));
        Files.writeString(config.resolve("vs.yaml"), AdminRunE2ETest.virtualService("api", "api.example.com", "/v1"));
        Path accessLog = dir.resolve("access.log");

        run = InProcessRun.start("-c", config.toString(), "--port-map", "80=0",
                "--access-log", accessLog.toString());

        HttpProbe.Resp ready = http.until(10, () -> http.get(run.healthPort(), null, "/healthz/ready"),
                r -> r.status() == 200);
        assertEquals(200, ready.status(), "ready once the snapshot is applied and the listener bound");

        JsonObject listeners = http.admin(run.adminPort(), "/listeners");
        int port = listeners.getJsonArray("listeners").getJsonObject(0).getInteger("boundPort");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, http.get(port, "api.example.com", "/v1/x").status());
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(404, http.get(port, "api.example.com", "/nope").status());
        }

        HttpProbe.Resp stats = http.until(10, () -> http.get(run.statsPort(), null, "/stats/prometheus"),
                r -> count(r.body(), "response_code=\"200\"") == 3 && count(r.body(), "response_code=\"404\"") == 2);
        assertEquals(3, count(stats.body(), "response_code=\"200\""), stats.body());
        assertEquals(2, count(stats.body(), "response_code=\"404\""), stats.body());
        assertTrue(requestsLine(stats.body(), "response_code=\"404\"").contains("response_flags=\"NR\""),
                stats.body());
        assertTrue(requestsLine(stats.body(), "response_code=\"200\"").contains("reporter=\"source\""),
                stats.body());
        assertTrue(stats.body().contains("meshgate_event_loop_lag_seconds_count{loop=\"0\"}"), "event-loop lag");
        assertTrue(stats.body().lines().anyMatch(l -> l.startsWith("meshgate_tls_engine{")
                && l.contains("engine=\"BoringSSL\"") && l.endsWith(" 1.0")), "the TLS edge's metrics: "
                + stats.body().lines().filter(l -> l.contains("tls")).toList());

        List<String> lines = until(10, () -> read(accessLog), l -> l.size() >= 5);
        assertEquals(5, lines.size(), String.join("\n", lines));
        assertEquals(3, lines.stream().filter(l -> l.contains("\"GET /v1/x HTTP/1.1\" 200 - via_upstream")).count(),
                String.join("\n", lines));
        assertEquals(2, lines.stream().filter(l -> l.contains("\"GET /nope HTTP/1.1\" 404 NR route_not_found"))
                .count(), String.join("\n", lines));
    }

    /** The value of istio_requests_total for the series whose labels contain {@code label}, or -1. */
    private static long count(String text, String label) {
        String line = requestsLine(text, label);
        if (line.isEmpty()) {
            return -1;
        }
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private static String requestsLine(String text, String label) {
        for (String line : text.split("\n")) {
            if (line.startsWith("istio_requests_total{") && line.contains(label)) {
                return line;
            }
        }
        return "";
    }

    private static List<String> read(Path p) {
        try {
            return Files.exists(p) ? Files.readAllLines(p) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T until(int seconds, Supplier<T> get, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        T last = get.get();
        while (!done.test(last) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            last = get.get();
        }
        return last;
    }
}

package dev.meshgate.gateway.observe;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessLogTest {

    /** Istio's EnvoyTextLogFormat, one group per operator, in order. */
    static final Pattern TEXT = Pattern.compile("^\\[(\\S+)] \"(\\S+) (\\S+) (\\S+)\" (\\d+) (\\S+) (\\S+) (\\S+) "
            + "\"([^\"]*)\" (\\d+) (\\d+) (\\d+) (\\S+) \"([^\"]*)\" \"([^\"]*)\" \"([^\"]*)\" \"([^\"]*)\" "
            + "\"([^\"]*)\" (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+)$");
    static final Pattern START_TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    static final Set<String> JSON_KEYS = new TreeSet<>(List.of("start_time", "route_name", "method", "path",
            "protocol", "response_code", "response_flags", "response_code_details", "connection_termination_details",
            "upstream_transport_failure_reason", "bytes_received", "bytes_sent", "duration", "upstream_service_time",
            "x_forwarded_for", "user_agent", "request_id", "authority", "upstream_host", "upstream_cluster",
            "upstream_local_address", "downstream_local_address", "downstream_remote_address",
            "requested_server_name"));

    @TempDir
    Path dir;
    Vertx vertx;
    MixServer mix;
    AccessLog log;
    int port;
    Instant before;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        before = Instant.now().minusMillis(1);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (mix != null) {
            mix.close();
        }
        if (log != null) {
            log.close();
        }
        MixServer.await(vertx.close());
    }

    private List<String> runMix(AccessLogSettings settings, int expectedLines) throws Exception {
        Path file = dir.resolve("access.log");
        log = new AccessLog(new AccessLogWriter(file.toString(), 64), settings);
        mix = new MixServer(vertx, new ExchangeTracker(log));
        port = mix.start();
        mix.sendMix();
        waitWritten(log.writer(), expectedLines);
        log.close();
        List<String> lines = Files.readAllLines(file);
        assertEquals(expectedLines, lines.size(), String.join("\n", lines));
        return lines;
    }

    static void waitWritten(AccessLogWriter w, long n) throws InterruptedException {
        for (int i = 0; i < 500 && w.written() < n; i++) {
            Thread.sleep(10); // bounded poll on the condition itself
        }
        assertEquals(n, w.written());
    }

    @Test
    void textLinesMatchIstioFormatFieldByField() throws Exception {
        List<String> lines = runMix(new AccessLogSettings(true, AccessLogFormat.TEXT, null), 8);
        String[][] expected = {
                // method path code flags details bytesIn bytesOut svcTime xff requestId authority upstreamHost cluster upstreamLocal route
                {"POST", "/ok?i=0", "200", "-", "via_upstream", "4", "5", "3", "127.0.0.1", "ok-0", "reviews.example.com", "10.0.0.7:9080", MixServer.REVIEWS, "10.0.0.1:40000", "reviews.default"},
                {"POST", "/ok?i=1", "200", "-", "via_upstream", "4", "5", "3", "127.0.0.1", "ok-1", "reviews.example.com", "10.0.0.7:9080", MixServer.REVIEWS, "10.0.0.1:40000", "reviews.default"},
                {"POST", "/ok?i=2", "200", "-", "via_upstream", "4", "5", "3", "127.0.0.1", "ok-2", "reviews.example.com", "10.0.0.7:9080", MixServer.REVIEWS, "10.0.0.1:40000", "reviews.default"},
                {"GET", "/nr", "404", "NR", "route_not_found", "0", "0", "-", "127.0.0.1", "nr-0", "nope.example.com", "-", "-", "-", "-"},
                {"GET", "/nr", "404", "NR", "route_not_found", "0", "0", "-", "127.0.0.1", "nr-1", "nope.example.com", "-", "-", "-", "-"},
                {"GET", "/uo", "503", "UO", "upstream_reset_before_response_started{overflow}", "0", "81", "-", "127.0.0.1", "uo", "reviews.example.com", "-", MixServer.REVIEWS, "-", "reviews.default"},
                {"GET", "/ut", "504", "UT", "upstream_response_timeout", "0", "24", "-", "203.0.113.9,127.0.0.1", "ut", "reviews.example.com", "10.0.0.7:9080", MixServer.REVIEWS, "-", "reviews.default"},
                {"POST", "/grpc.Greeter/Hello", "200", "-", "via_upstream", "5", "5", "-", "127.0.0.1", "grpc", "grpc.example.com", "10.0.0.8:9090", MixServer.GRPC, "-", "grpc.default"},
        };
        for (int i = 0; i < expected.length; i++) {
            String[] e = expected[i];
            Matcher m = TEXT.matcher(lines.get(i));
            assertTrue(m.matches(), "not Istio's text format: " + lines.get(i));
            assertTrue(START_TIME.matcher(m.group(1)).matches(), m.group(1));
            Instant start = Instant.parse(m.group(1));
            assertFalse(start.isBefore(before.minusMillis(1)) || start.isAfter(Instant.now()), m.group(1));
            assertEquals(e[0], m.group(2));
            assertEquals(e[1], m.group(3));
            assertEquals("HTTP/1.1", m.group(4));
            assertEquals(e[2], m.group(5));
            assertEquals(e[3], m.group(6));
            assertEquals(e[4], m.group(7));
            assertEquals("-", m.group(8), "connection termination details");
            assertEquals("-", m.group(9), "upstream transport failure reason");
            assertEquals(e[5], m.group(10), "bytes received");
            assertEquals(e[6], m.group(11), "bytes sent");
            assertTrue(Long.parseLong(m.group(12)) >= 0);
            assertEquals(e[7], m.group(13), "upstream service time");
            assertEquals(e[8], m.group(14), "x-forwarded-for");
            assertEquals("mix-test/1.0", m.group(15));
            assertEquals(e[9], m.group(16));
            assertEquals(e[10], m.group(17));
            assertEquals(e[11], m.group(18), "upstream host");
            assertEquals(e[12], m.group(19), "upstream cluster");
            assertEquals(e[13], m.group(20), "upstream local address");
            assertEquals("127.0.0.1:" + port, m.group(21), "downstream local address");
            assertTrue(m.group(22).matches("127\\.0\\.0\\.1:\\d+"), m.group(22));
            assertEquals("-", m.group(23), "requested server name");
            assertEquals(e[14], m.group(24), "route name");
        }
    }

    @Test
    void jsonLinesCarryIstioKeysAndTypes() throws Exception {
        List<String> lines = runMix(new AccessLogSettings(true, AccessLogFormat.JSON, null), 8);
        JsonObject ok = new JsonObject(lines.get(0));
        assertEquals(JSON_KEYS, new TreeSet<>(ok.fieldNames()));
        assertEquals("POST", ok.getString("method"));
        assertEquals("/ok?i=0", ok.getString("path"));
        assertEquals("HTTP/1.1", ok.getString("protocol"));
        assertEquals(200, ok.getValue("response_code"));
        assertEquals("-", ok.getString("response_flags"));
        assertEquals("via_upstream", ok.getString("response_code_details"));
        assertEquals(4, ok.getValue("bytes_received"));
        assertEquals(5, ok.getValue("bytes_sent"));
        assertTrue(ok.getValue("duration") instanceof Integer);
        assertEquals("3", ok.getString("upstream_service_time"));
        assertEquals("127.0.0.1", ok.getString("x_forwarded_for"));
        assertEquals("mix-test/1.0", ok.getString("user_agent"));
        assertEquals("ok-0", ok.getString("request_id"));
        assertEquals("reviews.example.com", ok.getString("authority"));
        assertEquals("10.0.0.7:9080", ok.getString("upstream_host"));
        assertEquals(MixServer.REVIEWS, ok.getString("upstream_cluster"));
        assertEquals("10.0.0.1:40000", ok.getString("upstream_local_address"));
        assertEquals("127.0.0.1:" + port, ok.getString("downstream_local_address"));
        assertTrue(ok.getString("downstream_remote_address").startsWith("127.0.0.1:"));
        assertEquals("reviews.default", ok.getString("route_name"));
        assertTrue(START_TIME.matcher(ok.getString("start_time")).matches());
        assertTrue(ok.containsKey("requested_server_name"));
        assertNull(ok.getValue("requested_server_name"));
        assertNull(ok.getValue("connection_termination_details"));
        assertNull(ok.getValue("upstream_transport_failure_reason"));

        JsonObject nr = new JsonObject(lines.get(3));
        assertEquals(JSON_KEYS, new TreeSet<>(nr.fieldNames()));
        assertEquals(404, nr.getValue("response_code"));
        assertEquals("NR", nr.getString("response_flags"));
        assertEquals("route_not_found", nr.getString("response_code_details"));
        assertNull(nr.getValue("route_name"));
        assertNull(nr.getValue("upstream_cluster"));
        assertNull(nr.getValue("upstream_host"));
        assertNull(nr.getValue("upstream_service_time"));

        JsonObject uo = new JsonObject(lines.get(5));
        assertEquals(503, uo.getValue("response_code"));
        assertEquals("UO", uo.getString("response_flags"));
        JsonObject ut = new JsonObject(lines.get(6));
        assertEquals(504, ut.getValue("response_code"));
        assertEquals("UT", ut.getString("response_flags"));
        assertEquals("203.0.113.9,127.0.0.1", ut.getString("x_forwarded_for"));
    }

    @Test
    void filterKeepsOnlyErrors() throws Exception {
        List<String> lines = runMix(new AccessLogSettings(true, AccessLogFormat.TEXT,
                AccessLogFilter.parse("response.code >= 400")), 4);
        List<String> codes = lines.stream().map(l -> {
            Matcher m = TEXT.matcher(l);
            assertTrue(m.matches(), l);
            return m.group(5) + " " + m.group(6);
        }).toList();
        assertEquals(List.of("404 NR", "404 NR", "503 UO", "504 UT"), codes);
    }

    @Test
    void disabledWritesNothing() throws Exception {
        Path file = dir.resolve("off.log");
        log = new AccessLog(new AccessLogWriter(file.toString(), 64), AccessLogSettings.OFF);
        mix = new MixServer(vertx, new ExchangeTracker(log));
        mix.start();
        mix.sendMix();
        log.close();
        assertEquals(0, log.writer().written());
        assertEquals(0, log.writer().dropped());
        assertTrue(!Files.exists(file) || Files.readAllLines(file).isEmpty());
    }

    @Test
    void fullQueueDropsAndCountsWithoutBlocking() throws Exception {
        // a FIFO without a reader: the writer thread blocks opening it, so the queue can only fill up
        Path fifo = dir.resolve("fifo");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, p.waitFor());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AccessLogWriter w = new AccessLogWriter(fifo.toString(), 3);
        AccessLog al = new AccessLog(w, new AccessLogSettings(true, AccessLogFormat.TEXT, null)).bindTo(registry);
        AccessLogEntry e = new AccessLogEntry(0, "GET", "/", "HTTP/1.1", 200, "-", null, null, null, 0, 0, 0,
                null, null, null, null, null, null, null, null, null, null, null, null);
        int accepted = 0;
        for (int i = 0; i < 10; i++) {
            if (w.offer(AccessLogFormat.TEXT, e)) {
                accepted++;
            }
        }
        assertEquals(3, accepted);
        assertEquals(7, w.dropped());
        assertEquals(7.0, registry.find(AccessLog.DROPPED_METRIC).functionCounter().count());
        assertTrue(registry.scrape().contains("meshgate_access_log_dropped_total"));
        // unblock: read the FIFO so the writer can open it, write the three lines and stop
        Thread reader = new Thread(() -> {
            try (FileInputStream in = new FileInputStream(fifo.toFile())) {
                in.readAllBytes();
            } catch (Exception ignored) {
                // test cleanup
            }
        });
        reader.start();
        al.close();
        reader.join(5000);
        assertEquals(3, w.written());
    }

    @Test
    void startTimeUsesEnvoyDefaultFormat() {
        assertEquals("2024-03-05T07:08:09.012Z", AccessLogFormat.startTime(
                Instant.parse("2024-03-05T07:08:09.012345Z").toEpochMilli()));
    }
}

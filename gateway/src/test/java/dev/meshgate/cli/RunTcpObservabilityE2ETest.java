package dev.meshgate.cli;

import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code meshgate run} with a Gateway TCP server: the process wires the L4 proxy to Istio's istio_tcp_* metrics on
 * the stats port and to the access log, so two echoed connections show up in both.
 */
class RunTcpObservabilityE2ETest {

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
    void tcpConnectionsShowInMetricsAndAccessLog() throws Exception {
        NetServer echo = HttpProbe.await(http.vertx.createNetServer().connectHandler(so -> so.pipeTo(so))
                .listen(0, "127.0.0.1"));
        int tcpPort = ClusterRunE2ETest.freePorts(1)[0];
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("tcp.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: tcp-gw, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 31400, name: tcp, protocol: TCP}
                    hosts: ["*"]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: tcp-echo, namespace: default}
                spec:
                  hosts: ["*"]
                  gateways: [istio-system/tcp-gw]
                  tcp:
                  - route: [{destination: {host: echo.example.internal, port: {number: 9000}}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: echo, namespace: default}
                spec:
                  hosts: [echo.example.internal]
                  location: MESH_EXTERNAL
                  resolution: STATIC
                  ports: [{number: 9000, name: tcp, protocol: TCP}]
                  endpoints: [{address: 127.0.0.1, ports: {tcp: %d}}]
                """.formatted(echo.actualPort()));
        Path accessLog = dir.resolve("access.log");

        run = InProcessRun.start("-c", config.toString(), "--port-map", "31400=" + tcpPort,
                "--access-log", accessLog.toString());
        assertEquals(200, http.until(10, () -> http.get(run.healthPort(), null, "/healthz/ready"),
                r -> r.status() == 200).status(), "ready");

        for (String word : List.of("hello", "world")) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), tcpPort)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(word.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                assertEquals(word, read(s.getInputStream(), word.length()));
            }
        }

        String svc = "destination_service=\"echo.example.internal\"";
        HttpProbe.Resp stats = http.until(10, () -> http.get(run.statsPort(), null, "/stats/prometheus"),
                r -> value(r.body(), "istio_tcp_connections_closed_total{", svc) == 2);
        String body = stats.body();
        assertEquals(2, value(body, "istio_tcp_connections_opened_total{", svc), body);
        assertEquals(2, value(body, "istio_tcp_connections_closed_total{", svc), body);
        assertEquals(10, value(body, "istio_tcp_received_bytes_total{", svc), body);
        assertEquals(10, value(body, "istio_tcp_sent_bytes_total{", svc), body);
        assertTrue(line(body, "istio_tcp_connections_opened_total{", svc).contains("request_protocol=\"tcp\""), body);

        List<String> lines = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lines.size() < 2 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // bounded poll on the log itself
            lines = Files.exists(accessLog) ? Files.readAllLines(accessLog) : List.of();
        }
        assertEquals(2, lines.size(), String.join("\n", lines));
        for (String l : lines) {
            assertTrue(l.contains("\"- - -\" 0 - - - \"-\" 5 5 "), l);
            assertTrue(l.contains("\"127.0.0.1:" + echo.actualPort() + "\" outbound|9000||echo.example.internal "),
                    l);
        }
    }

    private static String read(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        return new String(b, StandardCharsets.US_ASCII);
    }

    private static String line(String text, String prefix, String label) {
        for (String l : text.split("\n")) {
            if (l.startsWith(prefix) && l.contains(label)) {
                return l;
            }
        }
        return "";
    }

    /** The sample value of the series starting with {@code prefix} that has {@code label}, or -1. */
    private static long value(String text, String prefix, String label) {
        String l = line(text, prefix, label);
        return l.isEmpty() ? -1 : (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
    }
}

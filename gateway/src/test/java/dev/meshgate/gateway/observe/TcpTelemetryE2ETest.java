package dev.meshgate.gateway.observe;

import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.testing.GatewayHarness;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The istio_tcp_* family and the TCP access-log lines from the real runtime: a Gateway TCP port routed to an echo
 * backend, another to an endpoint nothing listens on. After a known number of connections and bytes the scrape of
 * the stats port has exactly those numbers under Istio's labels, and the access log has one line per connection
 * in Istio's TEXT format with Envoy's TCP values ("- - -", code 0, bytes, upstream host, flags).
 */
class TcpTelemetryE2ETest {

    static final String ECHO = "echo.default.svc.cluster.local";
    static final String DEAD = "dead.default.svc.cluster.local";

    @TempDir
    Path dir;
    Vertx vertx;
    GatewayHarness gw;
    Observability obs;
    Context ctx;

    @AfterEach
    void tearDown() {
        if (gw != null) {
            GatewayHarness.await(obs.stop());
            gw.close();
        }
    }

    <T> T onLoop(Supplier<Future<T>> action) {
        Promise<T> p = Promise.promise();
        ctx.runOnContext(v -> action.get().onComplete(p));
        return GatewayHarness.await(p.future());
    }

    /** Sends {@code payload}, reads until {@code expect} bytes came back, closes; what came before close. */
    static Future<Buffer> exchange(NetClient client, int port, Buffer payload, int expect) {
        return client.connect(port, "127.0.0.1").compose(so -> {
            Promise<Buffer> done = Promise.promise();
            Buffer got = Buffer.buffer();
            so.handler(b -> {
                got.appendBuffer(b);
                if (got.length() >= expect) {
                    so.close();
                    done.tryComplete(got);
                }
            });
            so.closeHandler(v -> done.tryComplete(got));
            if (payload.length() > 0) {
                so.write(payload);
            }
            return done.future();
        });
    }

    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    String scrape() {
        HttpClient client = vertx.createHttpClient();
        try {
            return onLoop(() -> client.request(HttpMethod.GET, obs.statsPort(), "127.0.0.1", StatsEndpoint.PATH)
                    .compose(r -> r.send()).compose(resp -> resp.body())).toString();
        } finally {
            client.close();
        }
    }

    @Test
    void connectionsAndBytesAreCountedExactlyAndLogged() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        ctx = vertx.getOrCreateContext();
        AtomicInteger backendClosed = new AtomicInteger();
        NetServer echo = GatewayHarness.await(vertx.createNetServer().connectHandler(so -> {
            so.closeHandler(v -> backendClosed.incrementAndGet());
            so.write(Buffer.buffer("hi\n"));
            so.pipeTo(so);
        }).listen(0, "127.0.0.1"));
        int dead = closedPort();

        Path file = dir.resolve("access.log");
        obs = Observability.create(ObserveOptions.defaults().forTests()
                        .withAccessLog(file.toString(), AccessLogFormat.TEXT).withDrain(Duration.ZERO, null),
                Map.of("POD_NAME", "istio-ingressgateway-5d8f9c7b5d-x2k4q", "POD_NAMESPACE", "istio-system"),
                Map.of("istio", "ingressgateway"), "istio-system");
        GatewayHarness.await(obs.start(vertx));
        GatewayOptions opts = GatewayOptions.defaults().withBindHost("127.0.0.1").withEventLoops(2)
                .withPortMap(Map.of(31400, 0, 31401, 0));
        GatewayRuntime rt = GatewayRuntime.create(vertx, opts).observe(obs.tracker())
                .observeConnections(obs.connections());
        gw = GatewayHarness.withRuntime(vertx, rt, opts);
        gw.apply("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: tcp-gateway, namespace: default}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 31400, name: tcp-echo, protocol: TCP}
                    hosts: ["*"]
                  - port: {number: 31401, name: tcp-dead, protocol: TCP}
                    hosts: ["*"]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: tcp, namespace: default}
                spec:
                  hosts: ["*"]
                  gateways: [tcp-gateway]
                  tcp:
                  - match: [{port: 31400}]
                    route: [{destination: {host: %s, port: {number: 9000}}}]
                  - match: [{port: 31401}]
                    route: [{destination: {host: %s, port: {number: 9000}}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: echo, namespace: default}
                spec:
                  hosts: [%s]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9000, name: tcp, protocol: TCP}]
                  endpoints: [{address: 127.0.0.1, ports: {tcp: %d}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: dead, namespace: default}
                spec:
                  hosts: [%s]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9000, name: tcp, protocol: TCP}]
                  endpoints: [{address: 127.0.0.1, ports: {tcp: %d}}]
                """.formatted(ECHO, DEAD, ECHO, echo.actualPort(), DEAD, dead));
        int port = gw.runtime.localPort(31400);
        int deadPort = gw.runtime.localPort(31401);
        NetClient client = vertx.createNetClient();

        int[] sizes = {100, 1000, 10_000};
        for (int n : sizes) {
            Buffer payload = Buffer.buffer(new byte[n]);
            Buffer got = onLoop(() -> exchange(client, port, payload, 3 + n));
            assertEquals(3 + n, got.length());
        }
        for (int i = 0; i < 2; i++) {
            Buffer got = onLoop(() -> exchange(client, deadPort, Buffer.buffer("x"), 1));
            assertEquals(0, got.length(), "UF: closed without a byte");
        }

        Map<String, String> ok = Map.of("destination_service", ECHO, "destination_service_name", "echo",
                "destination_service_namespace", "default", "request_protocol", "tcp", "response_flags", "-",
                "reporter", "source", "source_workload", "istio-ingressgateway",
                "source_workload_namespace", "istio-system");
        PromText prom = PromText.parse(scrape());
        // closed is counted once both sides are done at the gateway, just after the client saw its close
        for (int i = 0; i < 500 && prom.sum(IstioMetrics.TCP_CLOSED, ok) < 3; i++) {
            Thread.sleep(10); // bounded poll on the condition itself
            prom = PromText.parse(scrape());
        }
        assertEquals(3, prom.sum(IstioMetrics.TCP_OPENED, ok));
        assertEquals(3, prom.sum(IstioMetrics.TCP_CLOSED, ok));
        assertEquals(11_100, prom.sum(IstioMetrics.TCP_RECEIVED, ok));
        assertEquals(11_100 + 9, prom.sum(IstioMetrics.TCP_SENT, ok));
        Map<String, String> uf = Map.of("destination_service", DEAD, "request_protocol", "tcp",
                "response_flags", "UF");
        assertEquals(2, prom.sum(IstioMetrics.TCP_OPENED, uf));
        assertEquals(2, prom.sum(IstioMetrics.TCP_CLOSED, uf));
        assertEquals(0, prom.sum(IstioMetrics.TCP_RECEIVED, uf));
        assertEquals(5, prom.sum(IstioMetrics.TCP_OPENED, Map.of()));
        assertEquals(0, prom.sum(IstioMetrics.REQUESTS_TOTAL, Map.of()), "no HTTP series for TCP traffic");
        // same label names as the HTTP family minus the HTTP-only response_code / grpc_response_status
        for (PromText.Sample s : prom.series(IstioMetrics.TCP_OPENED)) {
            java.util.Set<String> want = new java.util.TreeSet<>(IstioMetricsTest.HTTP_LABELS);
            want.removeAll(List.of("response_code", "grpc_response_status"));
            assertEquals(want, new java.util.TreeSet<>(s.labels().keySet()));
        }
        for (int i = 0; i < 500 && backendClosed.get() < 3; i++) {
            Thread.sleep(10); // bounded poll: the upstream side is closed too, no leak
        }
        assertEquals(3, backendClosed.get());

        AccessLogTest.waitWritten(obs.accessLog().writer(), 5);
        List<String> lines = Files.readAllLines(file);
        assertEquals(5, lines.size(), lines.toString());
        Map<String, Matcher> byReceived = new HashMap<>();
        int ufLines = 0;
        for (String line : lines) {
            Matcher m = AccessLogTest.TEXT.matcher(line);
            assertTrue(m.matches(), line);
            assertEquals("-", m.group(2), "method");
            assertEquals("-", m.group(3), "path");
            assertEquals("-", m.group(4), "protocol");
            assertEquals("0", m.group(5), "response code");
            assertEquals("-", m.group(16), "request id");
            assertEquals("-", m.group(17), "authority");
            assertTrue(m.group(21).startsWith("127.0.0.1:"), "downstream local " + m.group(21));
            assertEquals("-", m.group(24), "route name");
            if (m.group(6).equals("UF")) {
                ufLines++;
                assertEquals("127.0.0.1:" + dead, m.group(18));
                assertEquals("outbound|9000||" + DEAD, m.group(19));
                assertEquals("-", m.group(20), "no upstream local address");
                assertEquals("0", m.group(11), "bytes sent");
            } else {
                assertEquals("-", m.group(6));
                byReceived.put(m.group(10), m);
            }
        }
        assertEquals(2, ufLines);
        for (int n : sizes) {
            Matcher m = byReceived.get(Integer.toString(n));
            assertTrue(m != null, "a line with " + n + " bytes received: " + lines);
            assertEquals(Integer.toString(n + 3), m.group(11), "bytes sent");
            assertEquals("127.0.0.1:" + echo.actualPort(), m.group(18), "upstream host");
            assertEquals("outbound|9000||" + ECHO, m.group(19), "upstream cluster");
            assertTrue(m.group(20).startsWith("127.0.0.1:"), "upstream local " + m.group(20));
            assertEquals("127.0.0.1:" + port, m.group(21), "downstream local");
        }
    }
}

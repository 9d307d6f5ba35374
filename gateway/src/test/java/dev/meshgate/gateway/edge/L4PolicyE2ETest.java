package dev.meshgate.gateway.edge;

import dev.meshgate.gateway.observe.AccessLogFormat;
import dev.meshgate.gateway.observe.IstioMetrics;
import dev.meshgate.gateway.observe.ObserveOptions;
import dev.meshgate.gateway.observe.Observability;
import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.testing.GatewayHarness;
import dev.meshgate.gateway.upstream.UpstreamManager;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DestinationRule connectionPool.tcp and outlierDetection on TCP routes, with real backends on 127.0.0.1: a limit
 * of one connection (the second is closed at once, UO), a backend nothing listens on (UF), a backend that never
 * accepts (connectTimeout, UF), idleTimeout and maxConnectionDuration closing both sides, and a dead endpoint of
 * two ejected after its connect failures so that every later connection reaches the live one.
 */
class L4PolicyE2ETest {

    @TempDir
    static Path dir;
    static Vertx vertx;
    static GatewayHarness gw;
    static Observability obs;
    static Context ctx;
    static NetClient client;
    static NetServer echo;
    /** Remote addresses (the gateway's upstream sockets) of the echo backend's closed connections. */
    static final java.util.Set<String> echoClosed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Remote ports (the gateway's upstream sockets) of the echo backend's accepted connections. */
    static final java.util.Set<Integer> echoAccepted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    static int deadPort;
    static ServerSocket stuck;
    static final List<Socket> backlogFillers = new ArrayList<>();
    static boolean stuckFull;
    static Path accessLog;

    static final Map<String, Integer> PORTS = Map.ofEntries(Map.entry("limited", 31500), Map.entry("dead", 31501),
            Map.entry("stuck", 31502), Map.entry("idle", 31503), Map.entry("maxdur", 31504),
            Map.entry("pair", 31505), Map.entry("split", 31506), Map.entry("busy", 31507), Map.entry("keep", 31508),
            Map.entry("tcpidle", 31509), Map.entry("httpidle", 31510));

    @BeforeAll
    static void start() throws Exception {
        vertx = EdgeFixture.vertx();
        ctx = vertx.getOrCreateContext();
        echo = GatewayHarness.await(vertx.createNetServer().connectHandler(so -> {
            String remote = so.remoteAddress().hostAddress() + ":" + so.remoteAddress().port();
            echoAccepted.add(so.remoteAddress().port());
            so.closeHandler(v -> echoClosed.add(remote));
            so.write(Buffer.buffer("hi\n"));
            so.pipeTo(so);
        }).listen(0, "127.0.0.1"));
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        // a listener that never accepts, its accept queue filled: further SYNs go unanswered (connect hangs)
        stuck = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        for (int i = 0; i < 16 && !stuckFull; i++) {
            Socket s = new Socket();
            try {
                s.connect(stuck.getLocalSocketAddress(), 1000);
                backlogFillers.add(s);
            } catch (java.net.SocketTimeoutException e) {
                s.close();
                stuckFull = true; // this SYN went unanswered: the queue is full
            }
        }

        accessLog = dir.resolve("access.log");
        obs = Observability.create(ObserveOptions.defaults().forTests()
                        .withAccessLog(accessLog.toString(), AccessLogFormat.JSON).withDrain(Duration.ZERO, null),
                Map.of(), Map.of("istio", "ingressgateway"), "istio-system");
        GatewayHarness.await(obs.start(vertx));
        Map<Integer, Integer> portMap = new java.util.HashMap<>();
        PORTS.values().forEach(p -> portMap.put(p, 0));
        GatewayOptions opts = EdgeFixture.options().withPortMap(portMap);
        GatewayRuntime rt = GatewayRuntime.create(vertx, opts).observeConnections(obs.connections());
        gw = GatewayHarness.withRuntime(vertx, rt, opts);
        StringBuilder yaml = new StringBuilder("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: tcp-gateway, namespace: default}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                """);
        PORTS.forEach((name, port) -> yaml.append("""
                  - port: {number: %d, name: tcp-%s, protocol: TCP}
                    hosts: ["*"]
                """.formatted(port, name)));
        yaml.append("""
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: tcp, namespace: default}
                spec:
                  hosts: ["*"]
                  gateways: [tcp-gateway]
                  tcp:
                """);
        PORTS.forEach((name, port) -> yaml.append("""
                  - match: [{port: %d}]
                    route: [{destination: {host: %s.example.internal, port: {number: 9000}}}]
                """.formatted(port, name)));
        int e = echo.actualPort();
        service(yaml, "limited", e);
        service(yaml, "dead", deadPort);
        service(yaml, "stuck", stuck.getLocalPort());
        service(yaml, "idle", e);
        service(yaml, "maxdur", e);
        service(yaml, "busy", e);
        service(yaml, "keep", e);
        service(yaml, "tcpidle", e);
        service(yaml, "httpidle", e);
        service(yaml, "pair", deadPort, e);
        service(yaml, "split", deadPort, e);
        rule(yaml, "limited", "connectionPool: {tcp: {maxConnections: 1}}");
        rule(yaml, "stuck", "connectionPool: {tcp: {connectTimeout: 200ms}}");
        rule(yaml, "idle", "connectionPool: {tcp: {idleTimeout: 1s}}");
        rule(yaml, "keep", "connectionPool: {tcp: {tcpKeepalive: {time: 7s, interval: 3s, probes: 4}}}");
        rule(yaml, "busy", "connectionPool: {tcp: {idleTimeout: 2s}}");
        // both set: a TCP route obeys tcp.idleTimeout only (Envoy's tcp_proxy idle_timeout)
        rule(yaml, "tcpidle", "connectionPool: {http: {idleTimeout: 1h}, tcp: {idleTimeout: 1s}}");
        rule(yaml, "httpidle", "connectionPool: {http: {idleTimeout: 300ms}, tcp: {idleTimeout: 1h}}");
        rule(yaml, "maxdur", "connectionPool: {tcp: {maxConnectionDuration: 1s}}");
        rule(yaml, "pair", "{loadBalancer: {simple: ROUND_ROBIN}, outlierDetection: {consecutive5xxErrors: 1,"
                + " interval: 1s, baseEjectionTime: 1m, maxEjectionPercent: 100}}");
        rule(yaml, "split", "{loadBalancer: {simple: ROUND_ROBIN}, outlierDetection: {consecutive5xxErrors: 0,"
                + " splitExternalLocalOriginErrors: true, consecutiveLocalOriginFailures: 2, interval: 1s,"
                + " baseEjectionTime: 1m, maxEjectionPercent: 100}}");
        gw.apply(yaml.toString());
        client = vertx.createNetClient();
    }

    private static void service(StringBuilder yaml, String name, int... ports) {
        yaml.append("""
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: %s, namespace: default}
                spec:
                  hosts: [%s.example.internal]
                  location: MESH_EXTERNAL
                  resolution: STATIC
                  ports: [{number: 9000, name: tcp, protocol: TCP}]
                  endpoints:
                """.formatted(name, name));
        for (int p : ports) {
            yaml.append("  - {address: 127.0.0.1, ports: {tcp: %d}}\n".formatted(p));
        }
    }

    private static void rule(StringBuilder yaml, String name, String policy) {
        String body = policy.startsWith("{") ? policy : "{" + policy + "}";
        yaml.append("""
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: %s, namespace: default}
                spec:
                  host: %s.example.internal
                  trafficPolicy: %s
                """.formatted(name, name, body));
    }

    @AfterAll
    static void stop() throws Exception {
        for (Socket s : backlogFillers) {
            s.close();
        }
        stuck.close();
        GatewayHarness.await(obs.stop());
        gw.close();
    }

    static <T> T onLoop(Supplier<Future<T>> action) {
        Promise<T> p = Promise.promise();
        ctx.runOnContext(v -> action.get().onComplete(p));
        return GatewayHarness.await(p.future());
    }

    static int port(String name) {
        return gw.runtime.localPort(PORTS.get(name));
    }

    static Cluster cluster(String name) {
        UpstreamManager u = (UpstreamManager) gw.runtime.forwarder();
        return u.clusters().clusters().values().stream()
                .filter(c -> c.name().equals("outbound|9000||" + name + ".example.internal")).findFirst()
                .orElseThrow();
    }

    /** A connection that has read the backend's greeting (so its upstream is connected), and its close. */
    record Open(NetSocket socket, Future<Void> closed) {
    }

    static Open openGreeted(String name) {
        return onLoop(() -> client.connect(port(name), "127.0.0.1").compose(so -> {
            Promise<Open> greeted = Promise.promise();
            Promise<Void> closed = Promise.promise();
            Buffer got = Buffer.buffer();
            so.handler(b -> {
                got.appendBuffer(b);
                if (got.length() >= 3) {
                    greeted.tryComplete(new Open(so, closed.future()));
                }
            });
            so.closeHandler(v -> {
                closed.tryComplete();
                greeted.tryFail("closed after " + got.length() + " bytes");
            });
            return greeted.future();
        }));
    }

    /** Connects and returns how many bytes arrived before the gateway closed the connection. */
    static int bytesUntilClosed(String name) {
        return onLoop(() -> client.connect(port(name), "127.0.0.1").compose(so -> {
            Promise<Integer> done = Promise.promise();
            AtomicInteger n = new AtomicInteger();
            so.handler(b -> n.addAndGet(b.length()));
            so.closeHandler(v -> done.complete(n.get()));
            return done.future();
        }));
    }

    static double counter(String name, String cluster, String flags) {
        return obs.registry().find(name).tag("destination_service", cluster + ".example.internal")
                .tag("response_flags", flags).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** The JSON access-log lines of {@code cluster}, once at least {@code n} are written. */
    static List<JsonObject> logLines(String cluster, int n) throws Exception {
        List<JsonObject> out = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            out.clear();
            if (Files.exists(accessLog)) {
                for (String line : Files.readAllLines(accessLog)) {
                    JsonObject j = new JsonObject(line);
                    if (("outbound|9000||" + cluster + ".example.internal").equals(j.getString("upstream_cluster"))) {
                        out.add(j);
                    }
                }
            }
            if (out.size() >= n) {
                return out;
            }
            Thread.sleep(10); // bounded poll on the log itself
        }
        return out;
    }

    static void awaitTrue(Supplier<Boolean> condition, String what) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.get(); i++) {
            Thread.sleep(10); // bounded poll on the condition itself
        }
        assertTrue(condition.get(), what);
    }

    @Test
    void maxConnectionsOneClosesTheSecondAtOnceWithUO() throws Exception {
        Cluster c = cluster("limited");
        long overflowsBefore = c.stats().overflows().sum();
        Open first = openGreeted("limited");
        assertEquals(1, c.stats().activeConnections());
        obs.upstreamMetrics().update(((UpstreamManager) gw.runtime.forwarder()).clusters());
        assertEquals(1.0, obs.registry().get("meshgate_upstream_tcp_connections_active")
                .tag("cluster_name", c.name()).gauge().value(), "the open L4 connection as a gauge");
        assertEquals(0, bytesUntilClosed("limited"), "over the limit: closed without a byte");
        assertEquals(overflowsBefore + 1, c.stats().overflows().sum());
        assertEquals(1, counter(IstioMetrics.TCP_OPENED, "limited", "UO"));
        assertEquals(1, counter(IstioMetrics.TCP_CLOSED, "limited", "UO"));

        onLoop(() -> first.socket().close());
        awaitTrue(() -> c.stats().activeConnections() == 0, "the slot is given back when the connection closes");
        Open again = openGreeted("limited");
        onLoop(() -> again.socket().close());
        awaitTrue(() -> counter(IstioMetrics.TCP_CLOSED, "limited", "-") == 2, "two connections closed");
        assertEquals(2, counter(IstioMetrics.TCP_OPENED, "limited", "-"));

        List<JsonObject> lines = logLines("limited", 3);
        assertEquals(1, lines.stream().filter(j -> "UO".equals(j.getString("response_flags"))).count(), lines.toString());
        JsonObject uo = lines.stream().filter(j -> "UO".equals(j.getString("response_flags"))).findFirst().get();
        assertEquals(0, uo.getInteger("response_code"));
        assertEquals(null, uo.getString("upstream_host"), "no endpoint was chosen");
    }

    @Test
    void backendNotListeningGivesUF() throws Exception {
        assertEquals(0, bytesUntilClosed("dead"));
        assertEquals(1, counter(IstioMetrics.TCP_OPENED, "dead", "UF"));
        JsonObject line = logLines("dead", 1).get(0);
        assertEquals("UF", line.getString("response_flags"));
        assertEquals("127.0.0.1:" + deadPort, line.getString("upstream_host"));
        assertEquals(0, cluster("dead").stats().activeConnections(), "the failed connect holds no slot");
    }

    @Test
    void connectTimeoutClosesWithUF() throws Exception {
        assertTrue(stuckFull, "the stuck listener's accept queue is full (a connect to it timed out)");
        assertEquals(0, bytesUntilClosed("stuck"));
        JsonObject line = logLines("stuck", 1).get(0);
        assertEquals("UF", line.getString("response_flags"));
        // the cluster's 200ms, not the 10s default (and not a refusal: the connect did wait)
        long ms = line.getLong("duration");
        assertTrue(ms >= 150 && ms < 9_000, "duration " + ms);
    }

    @Test
    void idleTimeoutClosesBothSides() throws Exception {
        Open o = openGreeted("idle");
        // no byte either way from here: the gateway closes both sides after 1s
        GatewayHarness.await(o.closed());
        JsonObject line = logLines("idle", 1).get(0);
        String upstreamSocket = line.getString("upstream_local_address");
        awaitTrue(() -> echoClosed.contains(upstreamSocket), "the backend side " + upstreamSocket + " was closed too");
        assertEquals("-", line.getString("response_flags"));
        assertEquals(3, line.getLong("bytes_sent"));
    }

    @Test
    void tcpRoutesUseTcpIdleTimeoutNotHttpIdleTimeout() throws Exception {
        // opened first: http.idleTimeout 300ms must not apply to it (tcp.idleTimeout is 1h)
        Open httpShort = openGreeted("httpidle");
        Open tcpShort = openGreeted("tcpidle");
        // tcp.idleTimeout 1s closes this one although http.idleTimeout is 1h
        GatewayHarness.await(tcpShort.closed());
        // by now httpShort has been idle for more than 1s, far past the 300ms of http.idleTimeout
        assertTrue(!httpShort.closed().isComplete(), "http.idleTimeout closed a TCP-route connection");
        String back = onLoop(() -> {
            Promise<String> p = Promise.promise();
            httpShort.socket().handler(b -> p.tryComplete(b.toString()));
            httpShort.socket().closeHandler(v -> p.tryFail("closed"));
            httpShort.socket().write(Buffer.buffer("still-open"));
            return p.future();
        });
        assertTrue(back.startsWith("still"), back);
        assertEquals(java.time.Duration.ofSeconds(1), cluster("tcpidle").policy().tcpIdleTimeout());
        assertEquals(java.time.Duration.ofHours(1), cluster("tcpidle").policy().idleTimeout(),
                "the HTTP pool keeps http.idleTimeout");
        onLoop(() -> httpShort.socket().close());
    }

    @Test
    void trafficKeepsTheIdleTimerFromFiring() throws Exception {
        Open o = openGreeted("busy");
        // a byte every 400ms for 2.8s, each echoed back, against an idleTimeout of 2s
        int echoed = onLoop(() -> {
            Future<Integer> chain = Future.succeededFuture(0);
            for (int i = 0; i < 7; i++) {
                chain = chain.compose(n -> vertx.timer(400).compose(t -> {
                    Promise<Integer> back = Promise.promise();
                    o.socket().handler(b -> back.tryComplete(n + b.length()));
                    o.socket().closeHandler(v -> back.tryFail("closed by the gateway after " + n + " echoes"));
                    o.socket().write(Buffer.buffer("p"));
                    return back.future();
                }));
            }
            return chain;
        });
        assertEquals(7, echoed);
        onLoop(() -> o.socket().close());
        JsonObject line = logLines("busy", 1).get(0);
        assertEquals(7, line.getLong("bytes_received"));
        assertTrue(line.getLong("duration") >= 2_800, "open for the whole exchange: " + line.encode());
    }

    @Test
    void tcpKeepaliveIsSetOnTheUpstreamSocket() throws Exception {
        java.util.Set<Integer> before = new java.util.HashSet<>(echoAccepted);
        Open o = openGreeted("keep");
        java.util.Set<Integer> mine = new java.util.HashSet<>(echoAccepted);
        mine.removeAll(before);
        assertEquals(1, mine.size(), "one new upstream connection: " + mine);
        int upstreamPort = mine.iterator().next();
        // /proc/net/tcp of the gateway's upstream socket: timer 2 (keepalive) due within TCP_KEEPIDLE = 7s
        String[] fields = null;
        for (int i = 0; i < 500; i++) {
            fields = procTcp(upstreamPort, echo.actualPort());
            if (fields != null && fields[5].startsWith("02:")) {
                break;
            }
            Thread.sleep(10); // bounded poll: a retransmit timer may be pending right after the greeting
        }
        assertTrue(fields != null, "the gateway's upstream socket in /proc/net/tcp");
        assertTrue(fields[5].startsWith("02:"), "keepalive timer armed: " + String.join(" ", fields));
        long whenTicks = Long.parseLong(fields[5].substring(3), 16);
        assertTrue(whenTicks > 0 && whenTicks <= 700, "due within 7s (USER_HZ 100), not the OS's 2h: " + whenTicks);
        onLoop(() -> o.socket().close());
    }

    /**
     * The /proc/net/tcp line (split on blanks) of the loopback socket localPort -> remotePort, or null; Java's
     * dual-stack sockets show 127.0.0.1 as ::ffff:127.0.0.1 in /proc/net/tcp6.
     */
    static String[] procTcp(int localPort, int remotePort) throws java.io.IOException {
        String[][] forms = {{"/proc/net/tcp", "0100007F"}, {"/proc/net/tcp6", "0000000000000000FFFF00000100007F"}};
        for (String[] form : forms) {
            Path table = Path.of(form[0]);
            if (!Files.exists(table)) {
                continue;
            }
            String local = String.format("%s:%04X", form[1], localPort);
            String remote = String.format("%s:%04X", form[1], remotePort);
            for (String line : Files.readAllLines(table)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 5 && f[1].equals(local) && f[2].equals(remote)) {
                    return f;
                }
            }
        }
        return null;
    }

    @Test
    void maxConnectionDurationClosesWithDT() throws Exception {
        Open o = openGreeted("maxdur");
        GatewayHarness.await(o.closed());
        JsonObject line = logLines("maxdur", 1).get(0);
        assertEquals("DT", line.getString("response_flags"));
    }

    @Test
    void connectFailuresEjectTheDeadEndpoint() throws Exception {
        int failures = 0;
        for (int i = 0; i < 8; i++) {
            if (bytesUntilClosedOrGreeting("pair") == 0) {
                failures++;
            }
        }
        // round robin reaches the dead endpoint within two connections; one failure ejects it
        assertEquals(1, failures);
        assertEquals(1, cluster("pair").stats().ejectionsTotal().sum());
        assertEquals(1, counter(IstioMetrics.TCP_OPENED, "pair", "UF"));
        assertEquals(7, counter(IstioMetrics.TCP_OPENED, "pair", "-"));
    }

    @Test
    void splitLocalOriginFailuresEjectAfterConsecutiveLocalOriginFailures() throws Exception {
        int failures = 0;
        for (int i = 0; i < 8; i++) {
            if (bytesUntilClosedOrGreeting("split") == 0) {
                failures++;
            }
        }
        // alternating: fail, ok, fail (second consecutive local-origin failure of that host: ejected), then all ok
        assertEquals(2, failures);
        assertEquals(1, cluster("split").stats().ejectionsTotal().sum());
    }

    /** 0 when the gateway closed without a byte, else the greeting's length (then the client closes). */
    static int bytesUntilClosedOrGreeting(String name) {
        return onLoop(() -> client.connect(port(name), "127.0.0.1").compose(so -> {
            Promise<Integer> done = Promise.promise();
            AtomicInteger n = new AtomicInteger();
            so.handler(b -> {
                if (n.addAndGet(b.length()) >= 3) {
                    so.close();
                    done.tryComplete(n.get());
                }
            });
            so.closeHandler(v -> done.tryComplete(n.get()));
            return done.future();
        }));
    }
}

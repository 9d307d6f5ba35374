package dev.meshgate.cli;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three replica processes ({@code java -cp <test class path> dev.meshgate.cli.Main run --cluster ...}) on
 * 127.0.0.1 sharing the API layer through embedded Hazelcast: a write on A routes traffic on C within 2 seconds;
 * A is killed (SIGKILL), a write on B is served by C, A is started again and catches up, and what was written
 * through A before it died is still there. Every wait is bounded.
 */
class ClusterRunE2ETest {

    private static final String EDITOR = "cluster-editor-token";
    private static final String VS_PATH = "/apis/networking.istio.io/v1/namespaces/default/virtualservices";

    @TempDir
    Path dir;

    private final HttpProbe http = new HttpProbe();
    private final List<Replica> replicas = new ArrayList<>();
    private int[] clusterPorts;
    private Path config;
    private Path tokens;

    /** One {@code meshgate run} process. */
    private final class Replica {
        final String name;
        final int adminPort;
        final int clusterPort;
        final Path log;
        Process process;
        int gatewayPort = -1;

        Replica(String name, int adminPort, int clusterPort) {
            this.name = name;
            this.adminPort = adminPort;
            this.clusterPort = clusterPort;
            this.log = dir.resolve(name + ".log");
        }

        void start() throws IOException {
            gatewayPort = -1;
            List<String> members = new ArrayList<>();
            for (int p : clusterPorts) {
                if (p != clusterPort) {
                    members.add("127.0.0.1:" + p);
                }
            }
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-Djava.net.preferIPv4Stack=true", "-Dhazelcast.phone.home.enabled=false",
                    // crash detection in seconds, not the production default
                    "-Dhazelcast.max.no.heartbeat.seconds=4", "-Dhazelcast.heartbeat.interval.seconds=1",
                    "-cp", classPath(), "dev.meshgate.cli.Main", "run",
                    "-c", config.toString(), "--port-map", "80=0", "--bind", "127.0.0.1", "--event-loops", "1", "--stats-port", "0", "--health-port", "0", "--probe-bind", "127.0.0.1",
                    "--admin-port", Integer.toString(adminPort), "--admin-tokens", tokens.toString(),
                    "--cluster", "--cluster-name", "e2e-" + dir.getFileName(), "--cluster-bind", "127.0.0.1",
                    "--cluster-port", Integer.toString(clusterPort), "--cluster-members", String.join(",", members)));
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        }

        /** The members this replica's admin API lists, or an empty array while it is not up. */
        JsonArray members() {
            try {
                return http.admin(adminPort, "/cluster/members").getJsonArray("members");
            } catch (RuntimeException | AssertionError e) {
                return new JsonArray();
            }
        }

        int gatewayPort() {
            // the admin API answers before the first snapshot's listener is bound: wait (bounded) for the port
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (gatewayPort < 0 && System.nanoTime() < deadline) {
                JsonArray ls = http.admin(adminPort, "/listeners").getJsonArray("listeners");
                Integer bound = ls.isEmpty() ? null : ls.getJsonObject(0).getInteger("boundPort");
                if (bound != null) {
                    gatewayPort = bound;
                } else {
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
            }
            if (gatewayPort < 0) {
                throw new AssertionError(name + " bound no listener within 30s\n" + logTail());
            }
            return gatewayPort;
        }

        int get(String host) {
            try {
                return http.get(gatewayPort(), host, "/").status();
            } catch (RuntimeException | AssertionError e) {
                return -1;
            }
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), name + " did not die");
        }

        String logTail() {
            try {
                String s = Files.readString(log);
                return name + " log:\n" + s.substring(Math.max(0, s.length() - 4000));
            } catch (IOException e) {
                return name + ": no log (" + e + ")";
            }
        }
    }

    private static String classPath() {
        // surefire's real class path (java.class.path may be a manifest-only booter jar)
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    @AfterEach
    void stopAll() throws Exception {
        for (Replica r : replicas) {
            if (r.process != null && r.process.isAlive()) {
                r.process.destroy(); // SIGTERM: the orderly shutdown leaves the cluster
            }
        }
        for (Replica r : replicas) {
            if (r.process != null && !r.process.waitFor(30, TimeUnit.SECONDS)) {
                r.process.destroyForcibly();
            }
        }
        http.close();
    }

    @Test
    void aWriteOnOneReplicaRoutesOnTheOthersAndAReplicaThatCameBackCatchesUp() throws Exception {
        HttpServer backend = HttpProbe.await(http.vertx.createHttpServer()
                .requestHandler(req -> req.response().end("ok")).listen(0, "127.0.0.1"));
        config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("gw.yaml"), AdminRunE2ETest.gateway());
        Files.writeString(config.resolve("backend.yaml"), AdminRunE2ETest.serviceEntry(backend.actualPort()));
        tokens = Files.writeString(dir.resolve("tokens"), EDITOR + " editor e2e\n");
        http.adminToken = EDITOR;

        int[] ports = freePorts(6);
        clusterPorts = new int[]{ports[3], ports[4], ports[5]};
        Replica a = new Replica("A", ports[0], ports[3]);
        Replica b = new Replica("B", ports[1], ports[4]);
        Replica c = new Replica("C", ports[2], ports[5]);
        replicas.addAll(List.of(a, b, c));
        // A first, then B and C join it (members started at the same instant each claim to be the master first,
        // which makes forming the cluster take longer)
        long started = System.nanoTime();
        a.start();
        awaitMembers(a, 1, 90);
        phase("A is up", started);
        b.start();
        c.start();
        for (Replica r : replicas) {
            awaitMembers(r, 3, 90);
        }
        phase("three replicas formed a cluster", started);

        // a write on A routes on C within 2 seconds
        assertEquals(404, c.get("a.example.com"), c.logTail());
        long t0 = System.nanoTime();
        post(a, AdminRunE2ETest.virtualService("via-a", "a.example.com", "/"));
        HttpProbe.Resp onC = http.until(10, () -> http.get(c.gatewayPort(), "a.example.com", "/"),
                r -> r.status() == 200);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(200, onC.status(), "C never routed the write made on A\n" + c.logTail());
        assertTrue(millis <= 2000, "a write on A took " + millis + " ms to route on C");
        System.out.println("ClusterRunE2ETest: a write on A routed on C after " + millis + " ms");

        // every replica reports the same applied configuration
        awaitSameHash(List.of(a, b, c), 10);

        // kill A; a write on B is served by C; what A wrote survives it
        long killed = System.nanoTime();
        a.kill();
        awaitMembers(b, 2, 30);
        phase("B saw A gone", killed);
        post(b, AdminRunE2ETest.virtualService("via-b", "b.example.com", "/"));
        assertEquals(200, http.until(10, () -> http.get(c.gatewayPort(), "b.example.com", "/"),
                r -> r.status() == 200).status(), c.logTail());
        assertEquals(200, c.get("a.example.com"));

        // A comes back and catches up with everything, including what was written while it was down
        long restarted = System.nanoTime();
        a.start();
        awaitMembers(a, 3, 90);
        phase("A rejoined", restarted);
        assertEquals(200, http.until(10, () -> http.get(a.gatewayPort(), "b.example.com", "/"),
                r -> r.status() == 200).status(), a.logTail());
        assertEquals(200, a.get("a.example.com"), a.logTail());
        awaitSameHash(List.of(a, b, c), 10);
    }

    private static void phase(String what, long since) {
        System.out.println("ClusterRunE2ETest: " + what + " after "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since) + " ms");
    }

    private void post(Replica r, String yaml) {
        HttpProbe.Resp resp = http.send(HttpMethod.POST, r.adminPort, null, VS_PATH, EDITOR, "application/yaml",
                yaml);
        assertEquals(201, resp.status(), resp.body() + "\n" + r.logTail());
    }

    private void awaitMembers(Replica r, int n, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonArray members = new JsonArray();
        while (System.nanoTime() < deadline && r.process.isAlive()) {
            members = r.members();
            if (members.size() == n) {
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        throw new AssertionError(r.name + " sees " + members.size() + " members, expected " + n + ": "
                + members.encode() + "\n" + r.logTail());
    }

    /** Bounded wait until every replica's /cluster/members shows one applied hash for all members. */
    private void awaitSameHash(List<Replica> rs, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String last = "";
        while (System.nanoTime() < deadline) {
            Set<String> hashes = new HashSet<>();
            boolean complete = true;
            for (Replica r : rs) {
                JsonArray ms = r.members();
                complete &= ms.size() == rs.size();
                for (int i = 0; i < ms.size(); i++) {
                    JsonObject m = ms.getJsonObject(i);
                    hashes.add(m.getString("appliedHash"));
                    complete &= m.getString("appliedAt") != null && m.getLong("appliedVersion") > 0;
                }
                last = ms.encode();
            }
            if (complete && hashes.size() == 1) {
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        throw new AssertionError("replicas do not report one applied hash: " + last);
    }

    /**
     * Ports that are free now, taken below Linux's ephemeral range (32768+): the replicas bind them only later, and
     * meanwhile every port-0 bind and outgoing connection of the three processes draws from the ephemeral range,
     * which could otherwise hand one of these out first.
     */
    static int[] freePorts(int n) throws IOException {
        int[] out = new int[n];
        List<ServerSocket> open = new ArrayList<>();
        java.util.Random random = new java.util.Random();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = null;
                for (int attempt = 0; s == null && attempt < 200; attempt++) {
                    try {
                        s = new ServerSocket(20_000 + random.nextInt(12_000), 1, InetAddress.getLoopbackAddress());
                    } catch (IOException taken) {
                        // in use: draw another
                    }
                }
                if (s == null) {
                    s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                }
                open.add(s);
                out[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : open) {
                s.close();
            }
        }
        return out;
    }
}

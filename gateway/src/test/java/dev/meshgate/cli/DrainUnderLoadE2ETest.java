package dev.meshgate.cli;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6, "readiness and drain on SIGTERM with traffic in flight (no request fails)": two {@code meshgate run}
 * processes behind a load balancer played by this test. The balancer polls each replica's {@code /healthz/ready}
 * every 100 ms and sends only to replicas whose last poll answered 200, over keep-alive connections, from 16
 * concurrent request loops of which one request in five is slow (0.3-0.9 s at the backend). Replica A gets
 * SIGTERM in the middle of it. Every request must answer 200; A must report 503 while still alive, answer its
 * drain-time responses with {@code Connection: close}, and exit with status 0 after the minimum drain time but
 * before the in-flight limit (nothing was left in flight); B keeps serving.
 */
class DrainUnderLoadE2ETest {

    /** Well above the balancer's 100 ms poll, even on a loaded CI machine: it stops sending long before the end. */
    private static final Duration DRAIN = Duration.ofSeconds(3);
    private static final Duration MAX_WAIT = Duration.ofSeconds(8);
    private static final int WORKERS = 16;

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final List<Replica> replicas = new ArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Random random = new Random();
    private Context lb;
    private HttpClient traffic;
    private HttpClient probes;
    private volatile boolean stopping;
    private CountDownLatch workersDone;
    private int next;

    /** One replica process and what the balancer knows of it (mutated on the balancer's context only). */
    private static final class Replica {
        final String name;
        final int port;
        final int healthPort;
        final Path log;
        Process process;
        boolean polling;
        volatile boolean healthy;
        volatile boolean terminated;
        volatile boolean saw503WhileAlive;
        volatile boolean sawConnectionCloseAfterTerm;
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        final AtomicInteger served = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger completedAfterTerm = new AtomicInteger();

        Replica(String name, int port, int healthPort, Path log) {
            this.name = name;
            this.port = port;
            this.healthPort = healthPort;
            this.log = log;
        }

        String logTail() {
            try {
                String s = Files.readString(log);
                return name + " log:\n" + s.substring(Math.max(0, s.length() - 3000));
            } catch (IOException e) {
                return name + ": no log (" + e + ")";
            }
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        stopping = true;
        for (Replica r : replicas) {
            if (r.process != null && r.process.isAlive()) {
                r.process.destroyForcibly();
                r.process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        HttpProbe.await(vertx.close());
    }

    @Test
    void noRequestFailsWhileAReplicaDrainsOnSigterm() throws Exception {
        HttpServer backend = HttpProbe.await(vertx.createHttpServer()
                .requestHandler(req -> {
                    if (req.path().startsWith("/slow")) {
                        vertx.setTimer(300 + random.nextInt(600), t -> req.response().end("slow"));
                    } else {
                        req.response().end("fast");
                    }
                })
                .listen(0, "127.0.0.1"));
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("gw.yaml"), AdminRunE2ETest.gateway());
        Files.writeString(config.resolve("backend.yaml"), AdminRunE2ETest.serviceEntry(backend.actualPort()));
        Files.writeString(config.resolve("vs.yaml"), AdminRunE2ETest.virtualService("api", "api.example.com", "/"));

        long begin = System.nanoTime();
        int[] ports = ClusterRunE2ETest.freePorts(4);
        Replica a = new Replica("A", ports[0], ports[2], dir.resolve("a.log"));
        Replica b = new Replica("B", ports[1], ports[3], dir.resolve("b.log"));
        replicas.addAll(List.of(a, b));
        for (Replica r : replicas) {
            start(r, config);
        }

        lb = vertx.getOrCreateContext();
        traffic = vertx.httpClientBuilder().with(new HttpClientOptions().setKeepAlive(true))
                .with(new PoolOptions().setHttp1MaxSize(WORKERS)).build();
        probes = vertx.createHttpClient();
        lb.runOnContext(v -> vertx.setPeriodic(1, 100, id -> replicas.forEach(this::poll)));
        for (Replica r : replicas) {
            try {
                r.ready.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError(r.name + " never became ready\n" + r.logTail());
            }
        }

        phase("both replicas ready", begin);
        workersDone = new CountDownLatch(WORKERS);
        for (int i = 0; i < WORKERS; i++) {
            lb.runOnContext(v -> next());
        }
        awaitCondition(() -> a.served.get() >= 50 && b.served.get() >= 50, 15,
                () -> "traffic on both replicas: A " + a.served + ", B " + b.served + ", failures " + failures);
        awaitCondition(() -> a.inFlight.get() >= 2, 10, () -> "slow requests in flight at A");

        phase("traffic on both, slow requests in flight at A", begin);
        a.terminated = true;
        int inFlightAtTerm = a.inFlight.get();
        long t0 = System.nanoTime();
        a.process.destroy(); // SIGTERM
        Process exited;
        try {
            exited = a.process.onExit().get(DRAIN.plus(MAX_WAIT).toSeconds() + 10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("A did not exit after SIGTERM\n" + a.logTail());
        }
        long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        int bAtExit = b.served.get();
        awaitCondition(() -> b.served.get() >= bAtExit + 50, 15,
                () -> "B keeps serving after A exited: " + (b.served.get() - bAtExit) + ", failures " + failures);

        phase("B served 50 more after A exited", begin);
        stopping = true;
        assertTrue(workersDone.await(15, TimeUnit.SECONDS), "every request loop finished its last request");
        System.out.println("DrainUnderLoadE2ETest: A served " + a.served + " (" + inFlightAtTerm
                + " in flight at SIGTERM, " + a.completedAfterTerm + " completed after it), B served " + b.served
                + "; A exited " + exitMillis + " ms after SIGTERM");

        assertEquals(List.of(), failures.subList(0, Math.min(10, failures.size())),
                failures.size() + " request(s) failed\n" + a.logTail());
        assertEquals(0, exited.exitValue(), "A's exit status after a graceful drain\n" + a.logTail());
        assertTrue(a.saw503WhileAlive, "the balancer saw A's readiness turn 503 before A exited");
        assertTrue(inFlightAtTerm >= 1 && a.completedAfterTerm.get() >= inFlightAtTerm,
                "requests in flight at SIGTERM completed: " + inFlightAtTerm + " / " + a.completedAfterTerm);
        assertTrue(a.sawConnectionCloseAfterTerm, "A's drain-time responses say Connection: close");
        assertTrue(exitMillis >= DRAIN.toMillis(), "A served for the minimum drain time: " + exitMillis + " ms");
        assertTrue(exitMillis < DRAIN.plus(MAX_WAIT).toMillis(),
                "A exited once nothing was in flight, before the in-flight limit: " + exitMillis + " ms\n"
                        + a.logTail());
        assertTrue(b.healthy, "B stays ready");
    }

    private static void phase(String what, long since) {
        System.out.println("DrainUnderLoadE2ETest: " + what + " after "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since) + " ms");
    }

    private void start(Replica r, Path config) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djava.net.preferIPv4Stack=true",
                "-cp", classPath(), "dev.meshgate.cli.Main", "run",
                "-c", config.toString(), "--port-map", "80=" + r.port, "--bind", "127.0.0.1",
                "--event-loops", "1", "--admin-port", "0", "--stats-port", "0",
                "--health-port", Integer.toString(r.healthPort), "--probe-bind", "127.0.0.1",
                "--drain-duration", DRAIN.toMillis() + "ms", "--drain-max-wait", MAX_WAIT.toMillis() + "ms");
        r.process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(r.log.toFile())).start();
    }

    /** One readiness poll (on the balancer's context); a replica is used only while its last poll said 200. */
    private void poll(Replica r) {
        if (r.polling || stopping) {
            return;
        }
        r.polling = true;
        probes.request(HttpMethod.GET, r.healthPort, "127.0.0.1", "/healthz/ready")
                .compose(req -> req.send())
                .compose(resp -> resp.body().map(b -> resp.statusCode()))
                .onComplete(ar -> {
                    r.polling = false;
                    int status = ar.succeeded() ? ar.result() : -1;
                    r.healthy = status == 200;
                    if (status == 200) {
                        r.ready.complete(null);
                    }
                    if (status == 503 && r.terminated && r.process.isAlive()) {
                        r.saw503WhileAlive = true;
                    }
                });
    }

    /** Round robin over the replicas whose last poll answered 200; null when none. */
    private Replica pick() {
        for (int i = 0; i < replicas.size(); i++) {
            Replica r = replicas.get(next++ % replicas.size());
            if (r.healthy) {
                return r;
            }
        }
        return null;
    }

    /** One request loop step, on the balancer's context. */
    private void next() {
        if (stopping) {
            workersDone.countDown();
            return;
        }
        Replica r = pick();
        if (r == null) {
            failures.add("no ready replica to send to");
            vertx.setTimer(20, t -> next());
            return;
        }
        String path = random.nextInt(5) == 0 ? "/slow" : "/fast";
        r.inFlight.incrementAndGet();
        traffic.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(r.port)
                        .setURI(path).putHeader("Host", "api.example.com"))
                .compose(req -> req.send())
                .compose(resp -> resp.body().map(body -> outcome(resp, body.toString())))
                .onComplete(ar -> {
                    r.inFlight.decrementAndGet();
                    if (r.terminated) {
                        r.completedAfterTerm.incrementAndGet();
                    }
                    if (ar.failed()) {
                        failures.add(r.name + " " + path + ": " + ar.cause());
                    } else if (!ar.result().startsWith("200 ")) {
                        failures.add(r.name + " " + path + ": " + ar.result());
                    } else {
                        r.served.incrementAndGet();
                        if (r.terminated && ar.result().endsWith(" close")) {
                            r.sawConnectionCloseAfterTerm = true;
                        }
                    }
                    // pacing, not synchronisation: keeps two cores from being saturated by the loops alone
                    vertx.setTimer(5, t -> next());
                });
    }

    private static String outcome(HttpClientResponse resp, String body) {
        String connection = resp.getHeader("connection");
        return resp.statusCode() + " " + body + " " + (connection == null ? "-" : connection.toLowerCase());
    }

    private static void awaitCondition(BooleanSupplier condition, int seconds,
                                       java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // bounded poll on the condition
        }
    }

    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }
}

package dev.meshgate.cli;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6 at process level: {@code meshgate run} gets SIGTERM ({@link Process#destroy()}) while a request to a slow
 * backend is in flight. Readiness turns 503 during the drain, the in-flight request still completes with 200, and
 * the process exits by itself.
 */
class DrainOnSigtermE2ETest {

    private static final long BACKEND_DELAY_MS = 1500;
    /** Safety net only (a hung child): each wait ends as soon as its event happens or the child exits. */
    private static final int CHILD_START_BOUND_S = 120;

    @TempDir
    Path dir;

    private final HttpProbe http = new HttpProbe();
    private final Vertx vertx = Vertx.vertx();
    private Process process;

    @AfterEach
    void cleanUp() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        HttpProbe.await(vertx.close());
        http.close();
    }

    @Test
    void inFlightRequestCompletesWhileReadinessDrains() throws Exception {
        Promise<Void> arrived = Promise.promise();
        HttpServer backend = HttpProbe.await(vertx.createHttpServer()
                .requestHandler(req -> {
                    arrived.tryComplete();
                    vertx.setTimer(BACKEND_DELAY_MS, t -> req.response().end("slow ok"));
                })
                .listen(0, "127.0.0.1"));
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("gw.yaml"), AdminRunE2ETest.gateway());
        Files.writeString(config.resolve("backend.yaml"), AdminRunE2ETest.serviceEntry(backend.actualPort()));
        Files.writeString(config.resolve("vs.yaml"), AdminRunE2ETest.virtualService("api", "api.example.com", "/"));
        int gatewayPort = freePort();
        int healthPort = freePort();
        Path log = dir.resolve("run.log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djava.net.preferIPv4Stack=true",
                "-cp", classPath(), "dev.meshgate.cli.Main", "run",
                "-c", config.toString(), "--port-map", "80=" + gatewayPort, "--bind", "127.0.0.1",
                "--event-loops", "1", "--admin-port", "0", "--stats-port", "0",
                "--health-port", Integer.toString(healthPort), "--probe-bind", "127.0.0.1",
                "--drain-duration", "1s");
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();

        // a child JVM starting on a loaded 2-core machine can take far longer than the gateway's own start: wait
        // on readiness itself for as long as the child lives (bounded only against a hung child)
        HttpProbe.Resp ready = http.until(CHILD_START_BOUND_S, process::isAlive,
                () -> http.get(healthPort, null, "/healthz/ready"), r -> r.status() == 200);
        assertTrue(process.isAlive(), "the child exited before it was ready (e.g. a chosen port was taken):\n"
                + tail(log));
        assertTrue(ready != null && ready.status() == 200, "ready before SIGTERM\n" + tail(log));

        HttpClient client = vertx.createHttpClient();
        CompletableFuture<String> inFlight = new CompletableFuture<>();
        vertx.runOnContext(v -> client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
                        .setPort(gatewayPort).setURI("/slow").putHeader("Host", "api.example.com"))
                .compose(req -> req.send())
                .compose(resp -> resp.body().map(b -> resp.statusCode() + " " + b))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        inFlight.complete(ar.result());
                    } else {
                        inFlight.completeExceptionally(ar.cause());
                    }
                }));
        // wait until the request really is at the backend
        arrived.future().toCompletionStage().toCompletableFuture().get(CHILD_START_BOUND_S, TimeUnit.SECONDS);

        process.destroy(); // SIGTERM
        // readiness answers 503 from SIGTERM until the process stops, however late the child handles the signal
        HttpProbe.Resp draining = http.until(CHILD_START_BOUND_S, process::isAlive,
                () -> http.get(healthPort, null, "/healthz/ready"), r -> r.status() == 503);
        assertTrue(draining != null && draining.status() == 503,
                "readiness 503 during the drain, got " + (draining == null ? "nothing" : draining.status())
                        + "\n" + tail(log));
        assertTrue(process.isAlive(), "still serving during the drain");

        assertEquals("200 slow ok", inFlight.get(CHILD_START_BOUND_S, TimeUnit.SECONDS),
                "the in-flight request completes");
        assertTrue(process.waitFor(CHILD_START_BOUND_S, TimeUnit.SECONDS),
                "exits by itself after the drain\n" + tail(log));
        assertEquals(0, process.exitValue(), "a graceful drain ends with status 0\n" + tail(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    private static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return s.substring(Math.max(0, s.length() - 3000));
        } catch (IOException e) {
            return "no log: " + e;
        }
    }
}

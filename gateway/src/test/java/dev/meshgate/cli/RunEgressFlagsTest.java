package dev.meshgate.cli;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code meshgate run --dns-server} and {@code --forward-proxy-port}/{@code --forward-proxy-bind}, in-process. */
class RunEgressFlagsTest {

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    private static Result run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void helpListsTheFlags() {
        Result r = run(Main.commandLine(), "run", "--help");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("--dns-server=HOST:PORT"), r.out());
        assertTrue(r.out().contains("--forward-proxy-port=PORT"), r.out());
        assertTrue(r.out().contains("--forward-proxy-bind=ADDRESS"), r.out());
    }

    @Test
    void flagsParseIntoOptions() {
        CommandLine cl = Main.commandLine();
        cl.parseArgs("run", "-c", "x", "--dns-server", "127.0.0.1:5353", "--forward-proxy-port", "3128",
                "--forward-proxy-bind", "127.0.0.2");
        RunCommand cmd = cl.getSubcommands().get("run").getCommand();
        assertEquals("127.0.0.1:5353", cmd.gateway.dnsServer());
        assertEquals(3128, cmd.gateway.forwardProxyPort());
        assertEquals("127.0.0.2", cmd.gateway.forwardProxyBind());

        CommandLine defaults = Main.commandLine();
        defaults.parseArgs("run", "-c", "x");
        RunCommand d = defaults.getSubcommands().get("run").getCommand();
        assertNull(d.gateway.dnsServer());
        assertNull(d.gateway.forwardProxyPort());
        assertEquals("127.0.0.1", d.gateway.forwardProxyBind());

        CommandLine bad = Main.commandLine();
        bad.parseArgs("run", "-c", "x", "--dns-server", "localhost", "--forward-proxy-port", "70000");
        RunCommand b = bad.getSubcommands().get("run").getCommand();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b.gateway::dnsServer);
        assertTrue(e.getMessage().startsWith("--dns-server"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, b.gateway::forwardProxyPort);
        assertTrue(e.getMessage().startsWith("--forward-proxy-port"), e.getMessage());
    }

    @Test
    void dnsRefreshRateDefaultsToIstios60sAndMustBePositive() throws IOException {
        CommandLine cl = Main.commandLine();
        cl.parseArgs("run", "-c", "x", "--dns-refresh-rate", "1500ms");
        RunCommand cmd = cl.getSubcommands().get("run").getCommand();
        assertEquals(java.time.Duration.ofMillis(1500), cmd.gateway.dnsRefreshRate());

        CommandLine defaults = Main.commandLine();
        defaults.parseArgs("run", "-c", "x");
        RunCommand d = defaults.getSubcommands().get("run").getCommand();
        assertEquals(java.time.Duration.ofSeconds(60), d.gateway.dnsRefreshRate());

        CommandLine zero = Main.commandLine();
        zero.parseArgs("run", "-c", "x", "--dns-refresh-rate", "0");
        RunCommand z = zero.getSubcommands().get("run").getCommand();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, z.gateway::dnsRefreshRate);
        assertTrue(e.getMessage().startsWith("--dns-refresh-rate"), e.getMessage());

        Files.writeString(dir.resolve("se.yaml"), "");
        Result r = run(Main.commandLine(), "run", "-c", dir.toString(), "--dns-refresh-rate", "0");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--dns-refresh-rate"), r.err());
        r = run(Main.commandLine(), "run", "-c", dir.toString(), "--dns-refresh-rate", "soon");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--dns-refresh-rate") || r.err().contains("soon"), r.err());
    }

    @Test
    void badDnsServerIsAUsageError() throws IOException {
        Files.writeString(dir.resolve("se.yaml"), "");
        Result r = run(Main.commandLine(), "run", "-c", dir.toString(), "--dns-server", "no-port");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--dns-server"), r.err());
    }

    /** Writes {@code request} and reads until {@code until} appears or the peer closes. */
    private static String exchange(Socket s, String request, String until) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!got.toString(StandardCharsets.ISO_8859_1).contains(until)) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            got.write(buf, 0, n);
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void connectThroughTheForwardProxyOfRun() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            NetServer echo = vertx.createNetServer().connectHandler(so -> so.handler(so::write))
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            Files.writeString(dir.resolve("se.yaml"), """
                    apiVersion: networking.istio.io/v1
                    kind: ServiceEntry
                    metadata: {name: echo, namespace: default}
                    spec:
                      hosts: [echo.external.test]
                      location: MESH_EXTERNAL
                      resolution: STATIC
                      ports: [{number: 443, name: tls, protocol: TLS}]
                      endpoints: [{address: 127.0.0.1, ports: {tls: %d}}]
                    """.formatted(echo.actualPort()));
            CommandLine cl = Main.commandLine();
            RunCommand cmd = cl.getSubcommands().get("run").getCommand();
            CompletableFuture<Result> running = CompletableFuture.supplyAsync(() -> run(cl, "run",
                    "--config", dir.toString(), "--debounce", "50ms", "--bind", "127.0.0.1",
                    "--port-map", "80=0,443=0", "--forward-proxy-port", "0",
                    "--stats-port", "0", "--health-port", "0", "--probe-bind", "127.0.0.1", "--admin-port", "0"));
            try {
                cmd.ready().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                int port = cmd.forwardProxyPort();
                assertTrue(port > 0, "bound port " + port);
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(10_000);
                    String head = exchange(s, "CONNECT echo.external.test:443 HTTP/1.1\r\n"
                            + "Host: echo.external.test:443\r\n\r\n", "\r\n\r\n");
                    assertTrue(head.startsWith("HTTP/1.1 200"), head);
                    assertEquals("through-run", exchange(s, "through-run", "run"));
                }
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(10_000);
                    String resp = exchange(s, "CONNECT evil.example.com:443 HTTP/1.1\r\n"
                            + "Host: evil.example.com:443\r\n\r\n", "ServiceEntry");
                    assertTrue(resp.startsWith("HTTP/1.1 403"), resp);
                }
                assertFalse(running.isDone());
            } finally {
                cmd.stop();
            }
            Result r = running.get(30, TimeUnit.SECONDS);
            assertEquals(0, r.exit(), r.toString());
            assertEquals(-1, cmd.forwardProxyPort());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}

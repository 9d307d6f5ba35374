package dev.meshgate.cli;

import dev.meshgate.config.snapshot.ConfigSnapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line in-process through picocli, with captured stdout and stderr. */
class MainTest {

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }
    }

    private static Result run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private static Result run(String... args) {
        return run(Main.commandLine(), args);
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    private static final String GATEWAY = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata:
              name: gw
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: ["*"]
            """;

    private static final String VS = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: reviews
            spec:
              hosts: [reviews.example.com]
              gateways: [gw]
              http:
              - route:
                - destination: {host: reviews}
            """;

    private static final String SERVICE_ENTRY = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata:
              name: reviews
            spec:
              hosts: [reviews.default.svc.cluster.local]
              ports: [{number: 80, name: http, protocol: HTTP}]
              resolution: DNS
            """;

    private static final String BAD_VS = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: reviews
            spec:
              hosts: [reviews.example.com]
              http:
              - retires: {attempts: 3}
                route:
                - destination: {host: reviews}
            """;

    @Test
    void validateGoodDirectoryExitsZero() throws IOException {
        write("gw.yaml", GATEWAY);
        write("nested/vs.yml", VS);
        write("nested/deeper/se.json", SERVICE_ENTRY);

        Result r = run("validate", dir.toString());

        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("valid: 0 warnings; 3 resources (Gateway=1, ServiceEntry=1, VirtualService=1)"),
                r.outLines());
        assertEquals("", r.err());
    }

    @Test
    void validateBadFileExitsOneWithTheFormattedError() throws IOException {
        write("gw.yaml", GATEWAY);
        Path bad = write("vs.yaml", BAD_VS);

        Result r = run("validate", dir.toString());

        assertEquals(1, r.exit(), r.toString());
        assertEquals(2, r.outLines().size(), r.out());
        assertTrue(r.outLines().get(0).startsWith(bad + ":8: VirtualService default/reviews: spec.http[0].retires: "
                + "unknown field"), r.out());
        assertEquals("invalid: 1 error, 0 warnings; 1 resource accepted (Gateway=1)", r.outLines().get(1));
    }

    @Test
    void unknownFieldsAsWarningsArePrintedAndDoNotFail() throws IOException {
        Path bad = write("vs.yaml", BAD_VS);

        Result r = run("validate", "--unknown-fields=warn", bad.toString());

        assertEquals(0, r.exit(), r.toString());
        List<String> lines = r.outLines();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("warning: " + bad + ":8: VirtualService default/reviews: "
                + "spec.http[0].retires: ")), r.out());
        // the validator's own warnings (no gateways, no ServiceEntry for the host) are printed as well
        long warnings = lines.stream().filter(l -> l.startsWith("warning: ")).count();
        assertTrue(warnings >= 2, r.out());
        assertEquals("valid: " + warnings + " warnings; 1 resource (VirtualService=1)", lines.get(lines.size() - 1));
    }

    @Test
    void jsonOutputHasOneObjectPerDiagnosticWithTheSixFields() throws IOException {
        Path bad = write("vs.yaml", BAD_VS);
        Path missing = dir.resolve("missing.yaml");

        Result r = run("validate", "--json", bad.toString(), missing.toString());

        assertEquals(1, r.exit(), r.toString());
        JsonArray array = new JsonArray(r.out());
        assertEquals(2, array.size(), r.out());
        JsonObject notFound = array.getJsonObject(0);
        assertEquals(Set.of("severity", "file", "line", "resource", "field", "message"), notFound.fieldNames());
        assertEquals("error", notFound.getString("severity"));
        assertEquals(missing.toString(), notFound.getString("file"));
        assertNull(notFound.getValue("line"));
        assertNull(notFound.getValue("resource"));
        assertNull(notFound.getValue("field"));
        assertEquals("no such file or directory", notFound.getString("message"));
        JsonObject unknown = array.getJsonObject(1);
        assertEquals(bad.toString(), unknown.getString("file"));
        assertEquals(8, unknown.getInteger("line"));
        assertEquals("VirtualService default/reviews", unknown.getString("resource"));
        assertEquals("spec.http[0].retires", unknown.getString("field"));
        assertTrue(unknown.getString("message").startsWith("unknown field"), unknown.encode());
    }

    @Test
    void jsonOfAValidConfigIsAnEmptyArray() throws IOException {
        write("gw.yaml", GATEWAY);

        Result r = run("validate", "--json", dir.toString());

        assertEquals(0, r.exit(), r.toString());
        assertEquals(new JsonArray(), new JsonArray(r.out()));
    }

    @Test
    void namespaceFlagAppliesToResourcesWithoutOne() throws IOException {
        write("a.yaml", VS);
        write("b.yaml", VS.replace("name: reviews", "name: reviews\n  namespace: prod"));

        Result defaultNs = run("validate", dir.toString());
        Result prodNs = run("validate", "--namespace", "prod", dir.toString());

        assertEquals(0, defaultNs.exit(), defaultNs.toString());
        assertEquals(1, prodNs.exit(), prodNs.toString());
        assertTrue(prodNs.out().contains(dir.resolve("b.yaml") + ":1: VirtualService prod/reviews: duplicate "
                + "resource: already defined at " + dir.resolve("a.yaml") + ":1"), prodNs.out());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run("validate").exit());
        assertEquals(2, run("validate", "--unknown-fields=maybe", dir.toString()).exit());
        assertEquals(2, run("run").exit());
        assertEquals(2, run("frobnicate").exit());
        Result bare = run();
        assertEquals(2, bare.exit());
        assertTrue(bare.err().contains("Usage: meshgate"), bare.err());
    }

    @Test
    void helpOnEveryCommand() {
        for (String cmd : List.of("validate", "run", "version")) {
            Result r = run(cmd, "--help");
            assertEquals(0, r.exit(), cmd);
            assertTrue(r.out().startsWith("Usage: meshgate " + cmd), r.out());
        }
        Result top = run("--help");
        assertEquals(0, top.exit());
        assertTrue(top.out().contains("validate") && top.out().contains("run") && top.out().contains("version"));
        assertTrue(run("help", "validate").out().contains("--json"));
        assertTrue(run("run", "--help").out().contains("--config"));
    }

    @Test
    void versionNamesTheStack() {
        Result r = run("version");

        assertEquals(0, r.exit());
        List<String> lines = r.outLines();
        assertTrue(lines.get(0).startsWith("meshgate "), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Java 17") || l.matches("Java \\d+.*")), r.out());
        assertTrue(lines.contains("Vert.x 5.0.7"), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Netty 4.2.")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("TLS ")), r.out());
        assertEquals(lines, run("--version").outLines());
    }

    @Test
    void runWithInvalidConfigExitsOneAndPrintsEveryError() throws IOException {
        Path bad = write("vs.yaml", BAD_VS);

        Result r = run("run", "--config", dir.toString(), "--stats-port", "0", "--health-port", "0", "--probe-bind", "127.0.0.1", "--admin-port", "0");

        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains(bad + ":8: VirtualService default/reviews: spec.http[0].retires"), r.err());
        assertTrue(r.err().contains("invalid configuration, not starting"), r.err());
    }

    @Test
    void runServesTheFirstSnapshotAndStopsCleanly() throws Exception {
        write("gw.yaml", GATEWAY);
        write("vs.yaml", VS);
        CommandLine cl = Main.commandLine();
        RunCommand cmd = cl.getSubcommands().get("run").getCommand();

        CompletableFuture<Result> running = CompletableFuture.supplyAsync(
                () -> run(cl, "run", "--config", dir.toString(), "--debounce", "50ms",
                        // the data plane binds the Gateway's port: loopback and a free port in tests
                        "--bind", "127.0.0.1", "--port-map", "80=0,8080=0,443=0",
                        "--stats-port", "0", "--health-port", "0", "--probe-bind", "127.0.0.1", "--admin-port", "0"));
        ConfigSnapshot first = cmd.ready().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(1, first.version());
        assertEquals(2, first.resources().size());
        assertFalse(running.isDone());

        cmd.stop();
        Result r = running.get(30, TimeUnit.SECONDS);
        assertEquals(0, r.exit(), r.toString());
    }

    @Test
    void runReadyFailsWhenStartFails() throws Exception {
        write("vs.yaml", BAD_VS);
        CommandLine cl = Main.commandLine();
        RunCommand cmd = cl.getSubcommands().get("run").getCommand();

        assertEquals(1, run(cl, "run", "-c", dir.toString(), "--stats-port", "0", "--health-port", "0", "--probe-bind", "127.0.0.1", "--admin-port", "0").exit());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> cmd.ready().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertInstanceOf(dev.meshgate.config.snapshot.InvalidConfigException.class, e.getCause());
    }

    @Test
    void durationsOnTheCommandLine() {
        DurationConverter c = new DurationConverter();
        assertEquals(java.time.Duration.ofMillis(200), c.convert("200ms"));
        assertEquals(java.time.Duration.ofMillis(1500), c.convert("1.5s"));
        assertEquals(java.time.Duration.ofMinutes(2), c.convert("2m"));
        assertEquals(java.time.Duration.ZERO, c.convert("0"));
        assertThrows(CommandLine.TypeConversionException.class, () -> c.convert("soon"));
        assertThrows(CommandLine.TypeConversionException.class, () -> c.convert("-5ms"));
    }
}

package dev.meshgate.gateway.edge;

import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.testing.EchoForwarder;
import dev.meshgate.gateway.testing.GatewayHarness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Shared set-up of the edge tests: PEM files on disk and a gateway runtime on 127.0.0.1 with free ports. */
final class EdgeFixture {

    private EdgeFixture() {
    }

    /** 80, 443, 8443 and 9443 to free ports, loopback, two event loops. */
    static GatewayOptions options() {
        return GatewayOptions.defaults().withBindHost("127.0.0.1").withEventLoops(2)
                .withPortMap(Map.of(80, 0, 443, 0, 8443, 0, 9443, 0));
    }

    static Vertx vertx() {
        return Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    }

    /** A runtime whose upstream side answers with what routing decided ({@link EchoForwarder}). */
    static GatewayHarness echoGateway(Vertx vertx, EdgeOptions edge) {
        GatewayRuntime rt = new GatewayRuntime(vertx, new EchoForwarder(), s -> { },
                () -> Future.succeededFuture()).edgeOptions(edge);
        return GatewayHarness.withRuntime(vertx, rt, options());
    }

    static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            // write-then-move: a poll never sees a half-written file
            Path tmp = Files.createTempFile(file.getParent(), ".tmp", ".pem");
            Files.writeString(tmp, content);
            return Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    /** Writes {@code cert.pem}, {@code key.pem} (and {@code ca.pem} when given) into {@code dir}. */
    static void writeFiles(Path dir, IssuedCertificate leaf, CertificateAuthority clientCa) {
        write(dir.resolve("cert.pem"), leaf.certificatePem());
        write(dir.resolve("key.pem"), leaf.privateKeyPem());
        if (clientCa != null) {
            write(dir.resolve("ca.pem"), clientCa.certificatePem());
        }
    }

    /** A Secret-like directory {@code <root>/<ns>/<name>/} with tls.crt, tls.key and optionally ca.crt. */
    static void writeSecret(Path root, String ns, String name, IssuedCertificate leaf, CertificateAuthority ca) {
        Path d = root.resolve(ns).resolve(name);
        write(d.resolve("tls.crt"), leaf.certificatePem());
        write(d.resolve("tls.key"), leaf.privateKeyPem());
        if (ca != null) {
            write(d.resolve("ca.crt"), ca.certificatePem());
        }
    }

    record Result(int exit, String out) {
    }

    static Result run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", cmd));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Runs {@code cmd} with {@code input} on its standard input. */
    static Result runWithInput(String input, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", cmd));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** curl with --resolve host:port:127.0.0.1, trusting {@code caFile}; prints the body then the HTTP version. */
    static Result curl(int port, String host, String path, Path caFile, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--resolve",
                host + ":" + port + ":127.0.0.1", "--cacert", caFile.toString(), "-w", "\n%{http_code} %{http_version}"));
        cmd.addAll(List.of(extra));
        cmd.add("https://" + host + ":" + port + path);
        return run(cmd.toArray(new String[0]));
    }
}

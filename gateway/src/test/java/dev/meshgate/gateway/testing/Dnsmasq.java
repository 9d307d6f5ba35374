package dev.meshgate.gateway.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real dnsmasq on 127.0.0.1 (a free port) answering from its own hosts file only: names under the given local
 * domains that the file does not list get NXDOMAIN. Tests using it are skipped when dnsmasq is not installed.
 */
public final class Dnsmasq implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/sbin/dnsmasq");

    private final Process process;
    private final Path hosts;
    private final Path log;
    public final int port;

    private Dnsmasq(Process process, Path hosts, Path log, int port) {
        this.process = process;
        this.hosts = hosts;
        this.log = log;
        this.port = port;
    }

    /** Starts dnsmasq with {@code hostsFile} content; {@code localDomains} are answered locally (NXDOMAIN). */
    public static Dnsmasq start(Path dir, String hostsFile, String... localDomains) throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(BINARY),
                "dnsmasq is not installed (Debian package dnsmasq-base): DNS tests skipped");
        Path hosts = Files.writeString(dir.resolve("hosts"), hostsFile);
        Path log = dir.resolve("dnsmasq.log");
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(BINARY.toString(), "--no-daemon",
                "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
                "--addn-hosts=" + hosts, "--user=" + System.getProperty("user.name"), "--pid-file=",
                "--cache-size=0"));
        for (String d : localDomains) {
            cmd.add("--local=/" + d + "/");
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Dnsmasq d = new Dnsmasq(p, hosts, log, port);
        // dnsmasq also listens on TCP: a connect means it is ready
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (p.isAlive() && System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException notYet) {
                Thread.onSpinWait();
            }
        }
        Assumptions.assumeTrue(p.isAlive(), () -> "dnsmasq did not start: " + d.log());
        return d;
    }

    public String server() {
        return "127.0.0.1:" + port;
    }

    /** Replaces the hosts file and makes dnsmasq reread it (SIGHUP). */
    public void answer(String hostsFile) throws IOException, InterruptedException {
        Files.writeString(hosts, hostsFile);
        new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start().waitFor();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

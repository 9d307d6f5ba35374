package dev.meshgate.gateway.upstream;

import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.networking.Protocol;
import dev.meshgate.config.model.networking.ServiceEntry;
import dev.meshgate.config.model.networking.ServicePort;
import dev.meshgate.gateway.route.ClusterKey;
import dev.meshgate.gateway.route.RetryPolicy;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.Host;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.meshgate.gateway.upstream.Fixtures.dest;
import static dev.meshgate.gateway.upstream.Fixtures.resource;
import static dev.meshgate.gateway.upstream.Fixtures.snapshot;
import static dev.meshgate.gateway.upstream.Harness.await;
import static dev.meshgate.gateway.upstream.Harness.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** ServiceEntry DNS / DNS_ROUND_ROBIN resolved through a real dnsmasq on 127.0.0.1 (never the system resolver). */
class DnsResolutionTest {

    private static final Path DNSMASQ = Path.of("/usr/sbin/dnsmasq");

    @TempDir
    Path dir;
    private Process dnsmasq;
    private Path hosts;
    private int dnsPort;
    private Harness h;
    private final Vertx backends = Vertx.vertx();
    private int port;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(DNSMASQ),
                "dnsmasq is not installed (Debian package dnsmasq-base): DNS resolution tests skipped");
        hosts = dir.resolve("hosts");
        Files.writeString(hosts, "127.0.0.11 api.dns.test\n127.0.0.12 api.dns.test\n"
                + "127.0.0.13 rr.dns.test\n127.0.0.14 rr.dns.test\n");
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            dnsPort = s.getLocalPort();
        }
        dnsmasq = new ProcessBuilder(DNSMASQ.toString(), "--no-daemon", "--port=" + dnsPort,
                "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
                "--addn-hosts=" + hosts, "--user=" + System.getProperty("user.name"), "--pid-file=",
                "--cache-size=0").redirectErrorStream(true).redirectOutput(dir.resolve("dnsmasq.log").toFile()).start();
        // dnsmasq also listens on TCP: a connect means it is ready
        eventually(() -> {
            try (Socket s = new Socket("127.0.0.1", dnsPort)) {
                return true;
            } catch (IOException notYet) {
                return !dnsmasq.isAlive();
            }
        }, "dnsmasq to listen");
        Assumptions.assumeTrue(dnsmasq.isAlive(), () -> "dnsmasq did not start: " + log());
        HttpServer first = backends.createHttpServer(new HttpServerOptions().setHost("127.0.0.11").setPort(0));
        first.requestHandler(r -> r.response().end("11"));
        port = await(first.listen()).actualPort();
        for (String ip : List.of("127.0.0.12", "127.0.0.13", "127.0.0.14")) {
            String last = ip.substring(ip.lastIndexOf('.') + 1);
            await(backends.createHttpServer(new HttpServerOptions().setHost(ip).setPort(port))
                    .requestHandler(r -> r.response().end(last)).listen());
        }
        h = new Harness(dev.meshgate.gateway.upstream.forward.ForwardOptions.DEFAULT, null,
                "127.0.0.1:" + dnsPort, Duration.ofMillis(300));
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("dnsmasq.log"));
        } catch (IOException e) {
            return "";
        }
    }

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
        if (dnsmasq != null) {
            dnsmasq.destroy();
        }
        await(backends.close());
    }

    private static ServiceEntry dnsEntry(String host, ServiceEntry.Resolution resolution, int targetPort) {
        return new ServiceEntry(List.of(host), List.of(), List.of(new ServicePort(80, Protocol.HTTP, "http", targetPort)),
                ServiceEntry.Location.MESH_EXTERNAL, resolution, List.of(), null, List.of(), List.of());
    }

    private List<String> hostsOf(String service) {
        Cluster c = h.manager.clusters().find(new ClusterKey(service, "", 80));
        return c == null ? List.of() : c.hosts().stream().map(Host::hostPort).sorted().toList();
    }

    private String get(String authority) {
        h.authority = authority;
        HttpClient client = h.vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(h.port));
        return await(h.onLoop(() -> client.request(new RequestOptions().setURI("/")).compose(r -> r.send())
                .compose(r -> r.body().map(b -> r.statusCode() + " " + b))));
    }

    @Test
    void dnsUsesEveryRecordRoundRobinTheFirstAndAChangedAnswerIsPickedUp() throws Exception {
        h.apply(snapshot(resource(Kind.SERVICE_ENTRY, "default", "api", dnsEntry("api.dns.test",
                        ServiceEntry.Resolution.DNS, port)),
                resource(Kind.SERVICE_ENTRY, "default", "rr", dnsEntry("rr.dns.test",
                        ServiceEntry.Resolution.DNS_ROUND_ROBIN, port))));
        h.route(dest("api.dns.test"), null, RetryPolicy.NONE);
        eventually(() -> hostsOf("api.dns.test").size() == 2, "api.dns.test resolved");
        assertEquals(List.of("127.0.0.11:" + port, "127.0.0.12:" + port), hostsOf("api.dns.test"));
        eventually(() -> hostsOf("rr.dns.test").get(0).startsWith("127."), "rr.dns.test resolved");
        assertEquals(List.of("127.0.0.13:" + port), hostsOf("rr.dns.test"));
        String body = get("api.dns.test");
        assertEquals(true, body.equals("200 11") || body.equals("200 12"), body);

        // the answer changes; dnsmasq rereads its hosts file on SIGHUP; the refresh picks it up
        Files.writeString(hosts, "127.0.0.14 api.dns.test\n127.0.0.13 rr.dns.test\n");
        new ProcessBuilder("kill", "-HUP", Long.toString(dnsmasq.pid())).start().waitFor();
        eventually(() -> hostsOf("api.dns.test").equals(List.of("127.0.0.14:" + port)), "the changed answer");
        assertEquals("200 14", get("api.dns.test"));

        // the DNS server goes away: the last good answer stays in force
        dnsmasq.destroy();
        dnsmasq.waitFor();
        await(h.manager.dns().refreshAll());
        assertEquals(List.of("127.0.0.14:" + port), hostsOf("api.dns.test"));
        assertEquals("200 14", get("api.dns.test"));
    }
}

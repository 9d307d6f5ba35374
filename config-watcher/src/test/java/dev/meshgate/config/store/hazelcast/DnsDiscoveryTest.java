package dev.meshgate.config.store.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static dev.meshgate.config.store.hazelcast.HazelcastResourceStoreTest.await;
import static dev.meshgate.config.store.hazelcast.HazelcastResourceStoreTest.vs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code --cluster-dns} against a real DNS server: dnsmasq on 127.0.0.1 answers {@code meshgate-cluster.test} with
 * 127.0.0.1, 127.0.0.2 and 127.0.0.3, and three members bind those addresses on one port (Linux routes all of
 * 127.0.0.0/8 to the loopback interface). Nothing is resolved by the system.
 */
class DnsDiscoveryTest {

    private static final Path DNSMASQ = Path.of("/usr/sbin/dnsmasq");
    private static final String NAME = "meshgate-cluster.test";
    private static final List<String> REPLICAS = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3");
    private static final long WAIT_MILLIS = 30_000;

    @TempDir
    Path dir;
    private Path hosts;
    private Process dnsmasq;
    private int dnsPort;
    private final List<HazelcastInstance> members = new ArrayList<>();
    private final Vertx vertx = Vertx.vertx();

    @BeforeEach
    void startDnsmasq() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(DNSMASQ),
                "dnsmasq is not installed (Debian package dnsmasq-base): cluster DNS tests skipped");
        hosts = dir.resolve("hosts");
        StringBuilder records = new StringBuilder();
        for (String ip : REPLICAS) {
            records.append(ip).append(' ').append(NAME).append('\n');
        }
        Files.writeString(hosts, records);
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            dnsPort = s.getLocalPort();
        }
        dnsmasq = new ProcessBuilder(DNSMASQ.toString(), "--no-daemon", "--port=" + dnsPort,
                "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts", "--local=/test/",
                "--addn-hosts=" + hosts, "--user=" + System.getProperty("user.name"), "--pid-file=",
                "--cache-size=0").redirectErrorStream(true).redirectOutput(dir.resolve("dnsmasq.log").toFile()).start();
        waitFor("dnsmasq to listen", () -> { // it also listens on TCP: a connect means it is ready
            try (Socket s = new Socket("127.0.0.1", dnsPort)) {
                return true;
            } catch (IOException notYet) {
                return !dnsmasq.isAlive();
            }
        });
        Assumptions.assumeTrue(dnsmasq.isAlive(), () -> "dnsmasq did not start: " + log());
    }

    @AfterEach
    void stop() throws Exception {
        for (HazelcastInstance hz : members) {
            hz.getLifecycleService().terminate();
        }
        if (dnsmasq != null) {
            dnsmasq.destroy();
            dnsmasq.waitFor(10, TimeUnit.SECONDS);
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void theServerIsAskedOnEveryLookupSoAChangedAnswerIsSeen() throws Exception {
        DnsServerResolver resolver = DnsServerResolver.parse("127.0.0.1:" + dnsPort);
        assertEquals(REPLICAS, ips(resolver.resolve(NAME)));
        assertEquals(List.of(), resolver.resolve("nobody.test"), "NXDOMAIN is no address, not an error");

        // a replica goes away; dnsmasq rereads its hosts file on SIGHUP
        Files.writeString(hosts, "127.0.0.2 " + NAME + "\n");
        new ProcessBuilder("kill", "-HUP", Long.toString(dnsmasq.pid())).start().waitFor();
        waitFor("the changed answer", () -> {
            try {
                return ips(resolver.resolve(NAME)).equals(List.of("127.0.0.2"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void threeReplicasOnTheAddressesOfOneNameFormOneCluster() throws Exception {
        String cluster = "dns-test-" + UUID.randomUUID();
        int port = portFreeOnEveryReplicaAddress();
        // the first replica finds nobody (the others' addresses refuse) and forms the cluster; the two started
        // later find it only through the name
        members.add(HazelcastCluster.start(options(cluster, REPLICAS.get(0), port)));
        CompletableFuture<HazelcastInstance> second = CompletableFuture.supplyAsync(() ->
                HazelcastCluster.start(options(cluster, REPLICAS.get(1), port)));
        CompletableFuture<HazelcastInstance> third = CompletableFuture.supplyAsync(() ->
                HazelcastCluster.start(options(cluster, REPLICAS.get(2), port)));
        members.add(second.get(60, TimeUnit.SECONDS));
        members.add(third.get(60, TimeUnit.SECONDS));
        waitFor("one cluster of three", () -> members.stream().allMatch(m -> m.getCluster().getMembers().size() == 3));
        List<String> addresses = members.get(0).getCluster().getMembers().stream()
                .map(m -> m.getAddress().getHost() + ":" + m.getAddress().getPort()).sorted().toList();
        assertEquals(REPLICAS.stream().map(ip -> ip + ":" + port).toList(), addresses);

        // and it works as a store: a write on the last replica is read on the first
        HazelcastResourceStore first = new HazelcastResourceStore(vertx, members.get(0));
        HazelcastResourceStore last = new HazelcastResourceStore(vertx, members.get(2));
        await(last.create(vs("via-dns", "via-dns.example.com")));
        assertEquals("via-dns", await(first.get(vs("via-dns", "x").key())).name());
    }

    private ClusterOptions options(String cluster, String ip, int port) {
        return new ClusterOptions(cluster, ip, port, 1, List.of(), NAME, 1, "127.0.0.1:" + dnsPort);
    }

    /**
     * One port that every replica address can bind (each member uses exactly that port, as in Kubernetes), below
     * the ephemeral range so that no outgoing connection takes it before the last member binds it.
     */
    private static int portFreeOnEveryReplicaAddress() throws IOException {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20_000 + random.nextInt(12_000);
            boolean free = true;
            for (String ip : REPLICAS) {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress(InetAddress.getByName(ip), port));
                } catch (IOException taken) {
                    free = false;
                }
            }
            if (free) {
                return port;
            }
        }
        throw new IllegalStateException("no port free on all of " + REPLICAS);
    }

    private static List<String> ips(List<InetAddress> addresses) {
        return addresses.stream().map(InetAddress::getHostAddress).sorted().toList();
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("dnsmasq.log"));
        } catch (IOException e) {
            return "";
        }
    }

    private static void waitFor(String what, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out waiting for: " + what);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50); // polling interval of a bounded wait on the condition
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for: " + what);
            }
        }
    }
}

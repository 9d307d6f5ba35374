package dev.meshgate.cli;

import com.hazelcast.config.Config;
import dev.meshgate.config.store.hazelcast.ClusterOptions;
import dev.meshgate.config.store.hazelcast.DnsDiscovery;
import dev.meshgate.config.store.hazelcast.DnsServerResolver;
import dev.meshgate.config.store.hazelcast.HazelcastCluster;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cluster flags of {@code run}, down to the Hazelcast member configuration they produce (nothing started). */
class ClusterFlagsTest {

    private static ClusterOptions options(String... args) {
        return CommandLine.populateCommand(new ClusterFlags(), args).toOptions();
    }

    private static DnsDiscovery discovery(ClusterOptions o) {
        Config cfg = HazelcastCluster.config(o);
        return assertInstanceOf(DnsDiscovery.class, cfg.getNetworkConfig().getJoin().getDiscoveryConfig()
                .getDiscoveryStrategyConfigs().iterator().next().getDiscoveryStrategyFactory());
    }

    @Test
    void clusterDnsServerPointsDiscoveryAtThatServer() {
        ClusterOptions o = options("--cluster", "--cluster-dns", "meshgate-cluster.test",
                "--cluster-dns-server", "127.0.0.1:5353", "--cluster-bind", "127.0.0.2", "--cluster-port", "5801");
        assertEquals("127.0.0.1:5353", o.dnsServer());
        DnsDiscovery d = discovery(o);
        assertEquals("meshgate-cluster.test", d.name());
        assertEquals("127.0.0.1:5353", assertInstanceOf(DnsServerResolver.class, d.resolver()).server());
    }

    @Test
    void withoutAServerTheNameGoesToTheSystemResolver() {
        ClusterOptions o = options("--cluster", "--cluster-dns", "meshgate-cluster.test");
        assertNull(o.dnsServer());
        assertFalse(discovery(o).resolver() instanceof DnsServerResolver);
    }

    @Test
    void aServerWithoutAnyNameOrNotHostPortIsRefusedNamingTheFlag() {
        for (String[] args : new String[][] {
                {"--cluster-dns-server", "127.0.0.1:53"},
                {"--cluster", "--cluster-dns-server", "127.0.0.1:53"},
                {"--cluster", "--cluster-dns", "x.test", "--cluster-dns-server", "127.0.0.1"},
                {"--cluster", "--cluster-dns", "x.test", "--cluster-dns-server", "127.0.0.1:0"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> options(args),
                    String.join(" ", args));
            assertTrue(e.getMessage().contains("--cluster-dns-server"), e.getMessage());
        }
    }
}

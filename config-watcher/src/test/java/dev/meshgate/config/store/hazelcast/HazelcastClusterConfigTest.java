package dev.meshgate.config.store.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.spi.merge.LatestUpdateMergePolicy;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The member configuration built from the flags (nothing is started). */
class HazelcastClusterConfigTest {

    @Test
    void memberListJoinHasMulticastAutoDetectionAndPhoneHomeOff() {
        Config cfg = HazelcastCluster.config(new ClusterOptions("prod", "10.0.0.5", 5701, 1,
                ClusterOptions.parseMembers("10.0.0.6:5701, 10.0.0.7"), null, 2));
        JoinConfig join = cfg.getNetworkConfig().getJoin();
        assertFalse(join.getMulticastConfig().isEnabled());
        assertFalse(join.getAutoDetectionConfig().isEnabled());
        assertFalse(join.getKubernetesConfig().isEnabled());
        assertTrue(join.getTcpIpConfig().isEnabled());
        assertEquals(List.of("10.0.0.5:5701", "10.0.0.6:5701", "10.0.0.7"), join.getTcpIpConfig().getMembers());
        assertEquals("false", cfg.getProperty("hazelcast.phone.home.enabled"));
        assertEquals("30", cfg.getProperty("hazelcast.merge.next.run.delay.seconds"));
        assertEquals("prod", cfg.getClusterName());
        assertEquals(5701, cfg.getNetworkConfig().getPort());
        assertFalse(cfg.getNetworkConfig().isPortAutoIncrement());
        assertEquals(List.of("10.0.0.5"), List.copyOf(cfg.getNetworkConfig().getInterfaces().getInterfaces()));
        assertEquals(2, cfg.getMapConfig(HazelcastResourceStore.RESOURCES).getBackupCount());
        assertEquals(NewestWriteMergePolicy.class.getName(),
                cfg.getMapConfig(HazelcastResourceStore.RESOURCES).getMergePolicyConfig().getPolicy());
        assertEquals(LatestUpdateMergePolicy.class.getName(),
                cfg.getMapConfig(ReplicaRegistry.REPLICAS).getMergePolicyConfig().getPolicy());
    }

    @Test
    void dnsJoinUsesOurDiscoveryThroughTheSystemResolverOrTheGivenServer() {
        Config cfg = HazelcastCluster.config(new ClusterOptions(null, null, 5801, 1, List.of(),
                "meshgate-cluster.istio-system.svc.cluster.local", 1));
        JoinConfig join = cfg.getNetworkConfig().getJoin();
        assertFalse(join.getMulticastConfig().isEnabled());
        assertFalse(join.getTcpIpConfig().isEnabled());
        assertFalse(join.getKubernetesConfig().isEnabled());
        assertFalse(join.getAutoDetectionConfig().isEnabled());
        DnsDiscovery discovery = onlyDiscovery(join);
        assertEquals("meshgate-cluster.istio-system.svc.cluster.local", discovery.name());
        assertFalse(discovery.resolver() instanceof DnsServerResolver);
        assertEquals(ClusterOptions.DEFAULT_CLUSTER_NAME, cfg.getClusterName());

        Config viaServer = HazelcastCluster.config(new ClusterOptions(null, null, 5801, 1, List.of(),
                "meshgate-cluster.test", 1, "127.0.0.1:5353"));
        NameResolver r = onlyDiscovery(viaServer.getNetworkConfig().getJoin()).resolver();
        assertInstanceOf(DnsServerResolver.class, r);
        assertEquals("127.0.0.1:5353", ((DnsServerResolver) r).server());
    }

    private static DnsDiscovery onlyDiscovery(JoinConfig join) {
        assertEquals(1, join.getDiscoveryConfig().getDiscoveryStrategyConfigs().size());
        return assertInstanceOf(DnsDiscovery.class,
                join.getDiscoveryConfig().getDiscoveryStrategyConfigs().iterator().next().getDiscoveryStrategyFactory());
    }

    @Test
    void contradictoryOptionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ClusterOptions(null, null, 5701, 1,
                List.of("a:1"), "dns.example", 1));
        assertThrows(IllegalArgumentException.class, () -> new ClusterOptions(null, null, 0, 1, List.of(), null, 1));
        assertThrows(IllegalArgumentException.class, () -> new ClusterOptions(null, null, 5701, 1, List.of(), null, 0));
        IllegalArgumentException badServer = assertThrows(IllegalArgumentException.class, () ->
                new ClusterOptions(null, null, 5701, 1, List.of(), "dns.example", 1, "127.0.0.1"));
        assertTrue(badServer.getMessage().contains("\"127.0.0.1\""), badServer.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ClusterOptions(null, null, 5701, 1, List.of(), null, 1,
                "127.0.0.1:53"));
    }
}

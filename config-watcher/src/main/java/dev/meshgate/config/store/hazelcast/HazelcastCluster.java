package dev.meshgate.config.store.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.DiscoveryStrategyConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.spi.merge.LatestUpdateMergePolicy;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

/**
 * Builds and starts the embedded Hazelcast member of a replica. Multicast, auto-detection and phone-home are
 * off: replicas find each other only through the member list or the DNS name they are given. Nothing here runs
 * without {@code --cluster}.
 */
public final class HazelcastCluster {

    /** Failure detection: a replica silent this long is removed and its data served from backups. */
    static final String DEFAULT_MAX_NO_HEARTBEAT_SECONDS = "15";
    static final String DEFAULT_HEARTBEAT_INTERVAL_SECONDS = "1";
    static final String DEFAULT_PARTITION_COUNT = "31";
    static final String DEFAULT_GRACEFUL_SHUTDOWN_SECONDS = "20";
    /** How soon after start, and how often, each cluster looks for another one with its name (a healed split). */
    static final String DEFAULT_MERGE_FIRST_RUN_SECONDS = "60";
    static final String DNS_JOIN_WAIT_SECONDS = "2";
    static final String DEFAULT_MERGE_NEXT_RUN_SECONDS = "30";

    private HazelcastCluster() {
    }

    /** The member configuration; {@code hazelcast.*} system properties still override the timing defaults. */
    public static Config config(ClusterOptions o) {
        Config cfg = ConfigUtil.loadConfig(); // vertx-hazelcast's defaults (cluster.xml on the class path wins)
        cfg.setClusterName(o.clusterName());
        cfg.setProperty("hazelcast.phone.home.enabled", "false");
        cfg.setProperty("hazelcast.logging.type", "jdk");
        // join as soon as the members answer instead of waiting for more to show up
        cfg.setProperty("hazelcast.wait.seconds.before.join", "0");
        cfg.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        // the run command shuts the member down in order (after the admin API stops taking writes)
        cfg.setProperty("hazelcast.shutdownhook.enabled", "false");
        // a config store holds tens to thousands of small entries: 271 partitions (the default) only make joins and
        // migrations slower. Every replica must use the same count; override with -Dhazelcast.partition.count
        defaultProperty(cfg, "hazelcast.partition.count", DEFAULT_PARTITION_COUNT);
        defaultProperty(cfg, "hazelcast.max.no.heartbeat.seconds", DEFAULT_MAX_NO_HEARTBEAT_SECONDS);
        // leaving waits for the backups to be safe, but must end within the shutdown hook's time
        defaultProperty(cfg, "hazelcast.graceful.shutdown.max.wait", DEFAULT_GRACEFUL_SHUTDOWN_SECONDS);
        defaultProperty(cfg, "hazelcast.heartbeat.interval.seconds", DEFAULT_HEARTBEAT_INTERVAL_SECONDS);
        // Hazelcast waits 300 s, then 120 s between searches: the two sides of a healed split would keep diverging
        // for minutes. A search costs one connection attempt per listed member (or one DNS lookup)
        defaultProperty(cfg, "hazelcast.merge.first.run.delay.seconds", DEFAULT_MERGE_FIRST_RUN_SECONDS);
        defaultProperty(cfg, "hazelcast.merge.next.run.delay.seconds", DEFAULT_MERGE_NEXT_RUN_SECONDS);

        NetworkConfig net = cfg.getNetworkConfig();
        net.setPort(o.port()).setPortAutoIncrement(o.portCount() > 1).setPortCount(o.portCount());
        if (o.bindHost() != null) {
            cfg.setProperty("hazelcast.socket.bind.any", "false");
            cfg.setProperty("hazelcast.local.localAddress", o.bindHost());
            net.getInterfaces().setEnabled(true).clear().addInterface(o.bindHost());
        }
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getAwsConfig().setEnabled(false);
        join.getGcpConfig().setEnabled(false);
        join.getAzureConfig().setEnabled(false);
        join.getEurekaConfig().setEnabled(false);
        join.getKubernetesConfig().setEnabled(false);
        if (o.dnsName() != null) {
            // the (headless Service) name is resolved on every join attempt and split-brain search, so replicas
            // started later are found; through our resolver, which can be pointed at a DNS server
            join.getTcpIpConfig().setEnabled(false);
            cfg.setProperty("hazelcast.discovery.enabled", "true");
            // with discovery this is also how long the first join retries a name that resolves to nothing; at 0
            // (set above for the member list) Hazelcast's discovery joiner never asks at all, and the replicas would
            // find each other only through the split-brain search. The master also gathers join requests this
            // long, so it stays short
            cfg.setProperty("hazelcast.wait.seconds.before.join", DNS_JOIN_WAIT_SECONDS);
            join.getDiscoveryConfig().addDiscoveryStrategyConfig(new DiscoveryStrategyConfig(
                    new DnsDiscovery(o.dnsName(), o.port(), o.resolver())));
        } else {
            join.getTcpIpConfig().setEnabled(true).clear().setConnectionTimeoutSeconds(2);
            String self = (o.bindHost() == null ? "127.0.0.1" : o.bindHost()) + ":" + o.port();
            join.getTcpIpConfig().addMember(self);
            for (String m : o.members()) {
                join.getTcpIpConfig().addMember(m);
            }
        }
        // after a split heals: resources by the newest write, deletes included (tombstones); the rest by the
        // latest update (needs the per-entry update times)
        cfg.addMapConfig(map(HazelcastResourceStore.RESOURCES, o.backupCount(), NewestWriteMergePolicy.class));
        cfg.addMapConfig(map(HazelcastResourceStore.META, o.backupCount(), LatestUpdateMergePolicy.class));
        cfg.addMapConfig(map(ReplicaRegistry.REPLICAS, o.backupCount(), LatestUpdateMergePolicy.class));
        return cfg;
    }

    /** Starts the member and joins the cluster (blocking: call it off the event loops). */
    public static HazelcastInstance start(ClusterOptions o) {
        return Hazelcast.newHazelcastInstance(config(o));
    }

    private static MapConfig map(String name, int backups, Class<?> mergePolicy) {
        MapConfig m = new MapConfig(name).setBackupCount(backups).setAsyncBackupCount(0)
                .setReadBackupData(false).setPerEntryStatsEnabled(true);
        m.getMergePolicyConfig().setPolicy(mergePolicy.getName());
        return m;
    }

    private static void defaultProperty(Config cfg, String name, String value) {
        if (System.getProperty(name) == null) {
            cfg.setProperty(name, value);
        }
    }
}

package dev.meshgate.cli;

import com.hazelcast.core.HazelcastInstance;
import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.config.snapshot.SnapshotPublisher;
import dev.meshgate.config.store.ResourceStore;
import dev.meshgate.config.store.hazelcast.ClusterOptions;
import dev.meshgate.config.store.hazelcast.HazelcastCluster;
import dev.meshgate.config.store.hazelcast.HazelcastResourceStore;
import dev.meshgate.config.store.hazelcast.ReplicaRegistry;
import dev.meshgate.config.store.hazelcast.ReplicaState;
import dev.meshgate.gateway.admin.MemberTableView;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code run --cluster}: the embedded Hazelcast member, the shared store and the replica reports. The only class
 * of the command line that names Hazelcast, so single-node runs never load it.
 */
final class ClusterMode implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterMode.class.getName());

    private final HazelcastInstance hazelcast;
    private final HazelcastResourceStore store;
    private final ReplicaRegistry registry;
    private AutoCloseable reporting;

    private ClusterMode(HazelcastInstance hazelcast, Vertx vertx) {
        this.hazelcast = hazelcast;
        this.store = new HazelcastResourceStore(vertx, hazelcast);
        this.registry = new ReplicaRegistry(vertx, hazelcast);
    }

    /** Starts the member and joins (blocking, bounded by Hazelcast's join timeout). */
    static ClusterMode start(ClusterOptions options, Vertx vertx) {
        if (System.getProperty("java.util.logging.config.file") == null) {
            Logger.getLogger("com.hazelcast").setLevel(Level.WARNING); // membership is logged below, once
        }
        HazelcastInstance hz = HazelcastCluster.start(options);
        LOG.info("cluster '" + options.clusterName() + "': this replica is " + hz.getCluster().getLocalMember()
                .getAddress() + ", " + hz.getCluster().getMembers().size() + " member(s)");
        return new ClusterMode(hz, vertx);
    }

    ResourceStore store() {
        return store;
    }

    /** Records each applied snapshot in the cluster, for every replica's {@code /cluster/members}. */
    void reportFrom(SnapshotPublisher publisher) {
        reporting = publisher.subscribe((ConfigSnapshot current, ConfigSnapshot previous) ->
                registry.report(current.version(), current.hash(), publisher.status().appliedAt()));
    }

    MemberTableView membersView() {
        return new MemberTableView(true, () -> registry.replicas().map(ClusterMode::members));
    }

    private static List<MemberTableView.Member> members(List<ReplicaState> states) {
        return states.stream().map(s -> new MemberTableView.Member(s.id(), s.address(), s.local(),
                s.appliedVersion(), s.appliedHash(), s.appliedAt())).toList();
    }

    /** Leaves the cluster gracefully: this replica's partitions migrate to the others first. */
    @Override
    public void close() {
        try {
            if (reporting != null) {
                reporting.close();
            }
        } catch (Exception e) {
            LOG.log(Level.FINE, "unsubscribing", e);
        }
        store.close();
        registry.close();
        hazelcast.shutdown();
    }
}

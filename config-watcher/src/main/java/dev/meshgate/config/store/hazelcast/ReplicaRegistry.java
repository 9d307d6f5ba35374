package dev.meshgate.config.store.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Config propagation, measured: every replica records the snapshot it applied (version, content hash, time) in a
 * cluster map under its member UUID, and any replica can list them all ({@code /cluster/members}). A replica that
 * leaves is removed by the others. After a split heals, the replicas of the side that merged into the other come back
 * under new member UUIDs: each reports its last applied version again and drops reports of members that are gone.
 */
public final class ReplicaRegistry implements AutoCloseable {

    public static final String REPLICAS = "meshgate.replicas";
    private static final Logger LOG = Logger.getLogger(ReplicaRegistry.class.getName());

    private final Vertx vertx;
    private final HazelcastInstance hazelcast;
    private final IMap<String, String> reports;
    private final UUID membershipListener;
    private final UUID lifecycleListener;
    private volatile JsonObject lastReport;

    public ReplicaRegistry(Vertx vertx, HazelcastInstance hazelcast) {
        this.vertx = vertx;
        this.hazelcast = hazelcast;
        this.reports = hazelcast.getMap(REPLICAS);
        this.membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
                // the new replica reports itself once it has applied something
                LOG.info("replica joined: " + e.getMember().getAddress() + "; " + e.getMembers().size() + " member(s)");
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                LOG.info("replica left: " + e.getMember().getAddress() + "; " + e.getMembers().size() + " member(s)");
                reports.removeAsync(e.getMember().getUuid().toString()); // every replica does it; idempotent
            }
        });
        this.lifecycleListener = hazelcast.getLifecycleService().addLifecycleListener(e -> {
            if (e.getState() == LifecycleEvent.LifecycleState.MERGED) {
                vertx.executeBlocking(this::afterMerge, false).onFailure(x ->
                        LOG.log(Level.WARNING, "cannot renew the replica reports after a merge", x));
            }
        });
    }

    private Void afterMerge() {
        Set<String> current = new HashSet<>();
        for (Member m : hazelcast.getCluster().getMembers()) {
            current.add(m.getUuid().toString());
        }
        for (String id : List.copyOf(reports.keySet())) {
            if (!current.contains(id)) {
                reports.remove(id);
            }
        }
        JsonObject last = lastReport;
        if (last != null) {
            write(last);
        }
        return null;
    }

    /** Records what this replica applied; asynchronous, never blocks the caller. */
    public void report(long version, String hash, Instant at) {
        JsonObject json = new JsonObject().put("version", version).put("hash", hash)
                .put("at", at == null ? null : at.toString());
        lastReport = json;
        write(json);
    }

    private void write(JsonObject json) {
        String id = hazelcast.getCluster().getLocalMember().getUuid().toString(); // changes when a split heals
        reports.setAsync(id, json.encode()).whenComplete((v, e) -> {
            if (e != null) {
                LOG.log(Level.WARNING, "cannot record the applied config version " + json.getLong("version")
                        + " in the cluster", e);
            }
        });
    }

    /** Every current member with its last report, this replica first. */
    public Future<List<ReplicaState>> replicas() {
        return vertx.executeBlocking(() -> {
            List<ReplicaState> out = new ArrayList<>();
            for (Member m : hazelcast.getCluster().getMembers()) {
                String id = m.getUuid().toString();
                String text = reports.get(id);
                JsonObject r = text == null ? new JsonObject() : new JsonObject(text);
                String at = r.getString("at");
                ReplicaState s = new ReplicaState(id, m.getAddress().getHost() + ":" + m.getAddress().getPort(),
                        m.localMember(), r.getLong("version", 0L), r.getString("hash", ""),
                        at == null ? null : Instant.parse(at));
                if (s.local()) {
                    out.add(0, s);
                } else {
                    out.add(s);
                }
            }
            return out;
        }, false);
    }

    @Override
    public void close() {
        try {
            hazelcast.getCluster().removeMembershipListener(membershipListener);
            hazelcast.getLifecycleService().removeLifecycleListener(lifecycleListener);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "removing the membership listener", e);
        }
    }
}

package dev.meshgate.gateway.admin;

import dev.meshgate.admin.views.MembersView;
import dev.meshgate.config.snapshot.ConfigStatus;
import dev.meshgate.config.snapshot.SnapshotPublisher;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /cluster/members}: each replica, its address, and the config it has applied (version, content hash,
 * when). Replicas that applied the same configuration show the same hash; versions are per process.
 */
public final class MemberTableView implements MembersView {

    /**
     * One replica as reported.
     *
     * @param appliedVersion 0 before the replica applied anything (or before it reported)
     * @param appliedAt      null before the replica applied anything
     */
    public record Member(String id, String address, boolean local, long appliedVersion, String appliedHash,
                         Instant appliedAt) {
    }

    private final boolean clustered;
    private final Supplier<Future<List<Member>>> members;

    public MemberTableView(boolean clustered, Supplier<Future<List<Member>>> members) {
        this.clustered = clustered;
        this.members = members;
    }

    /** Without {@code --cluster}: this process alone. */
    public static MemberTableView single(SnapshotPublisher publisher) {
        return new MemberTableView(false, () -> {
            ConfigStatus s = publisher.status();
            return Future.succeededFuture(List.of(new Member("local", null, true, s.appliedVersion(),
                    s.appliedHash(), s.appliedAt())));
        });
    }

    @Override
    public Future<JsonObject> render() {
        return members.get().map(list -> {
            JsonArray out = new JsonArray();
            for (Member m : list) {
                out.add(new JsonObject().put("id", m.id()).put("address", m.address()).put("local", m.local())
                        .put("appliedVersion", m.appliedVersion()).put("appliedHash", m.appliedHash())
                        .put("appliedAt", m.appliedAt() == null ? null : m.appliedAt().toString()));
            }
            return new JsonObject().put("clustered", clustered).put("members", out);
        });
    }
}

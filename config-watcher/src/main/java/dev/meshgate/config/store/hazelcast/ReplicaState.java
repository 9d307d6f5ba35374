package dev.meshgate.config.store.hazelcast;

import java.time.Instant;

/**
 * One replica of the cluster and the configuration it reported as applied.
 *
 * @param id             the Hazelcast member UUID
 * @param address        the member address, {@code host:port}
 * @param local          this process
 * @param appliedVersion the replica's own snapshot version (versions are per process); 0 before it reported
 * @param appliedHash    content hash of the applied snapshot: equal on replicas serving the same configuration
 * @param appliedAt      when the replica applied it; null before it reported
 */
public record ReplicaState(String id, String address, boolean local, long appliedVersion, String appliedHash,
                           Instant appliedAt) {
}

package dev.meshgate.gateway.upstream.cluster;

import dev.meshgate.gateway.route.ClusterKey;

import java.util.Map;

/**
 * Every cluster of one snapshot, by the keys routes use (including port 0 for single-port services). Immutable;
 * published through one volatile reference.
 */
public record ClusterTable(Map<ClusterKey, Cluster> clusters) {

    public static final ClusterTable EMPTY = new ClusterTable(Map.of());

    public ClusterTable {
        clusters = Map.copyOf(clusters);
    }

    /** The cluster, or null: unknown host, subset or port (503 NC). */
    public Cluster find(ClusterKey key) {
        return clusters.get(key);
    }
}

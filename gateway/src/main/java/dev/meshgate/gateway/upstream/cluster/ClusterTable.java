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

    /** Whether any cluster serves this host (any port or subset). Scans: for error paths only. */
    public boolean knowsHost(String host) {
        for (ClusterKey k : clusters.keySet()) {
            if (k.host().equalsIgnoreCase(host)) {
                return true;
            }
        }
        return false;
    }

    /** The cluster, or null: unknown host, subset or port (503 NC). */
    public Cluster find(ClusterKey key) {
        return clusters.get(key);
    }
}

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

    /**
     * Whether any cluster serves this host (any port or subset), by name or through a wildcard ServiceEntry host
     * ({@code *.example.com} covers {@code api.example.com}). Scans: for error paths only.
     */
    public boolean knowsHost(String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        for (ClusterKey k : clusters.keySet()) {
            String kh = k.host().toLowerCase(java.util.Locale.ROOT);
            if (kh.equals(h) || (kh.startsWith("*.") && h.endsWith(kh.substring(1)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The cluster of the most specific wildcard host covering {@code key.host()} with the same subset and port:
     * {@code *.b.example.com}, then {@code *.example.com}, ... (one map lookup per label, no scan), or null.
     */
    public Cluster findWildcard(ClusterKey key) {
        String host = key.host().toLowerCase(java.util.Locale.ROOT);
        for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
            Cluster c = clusters.get(new ClusterKey("*" + host.substring(dot), key.subset(), key.port()));
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    /** The cluster, or null: unknown host, subset or port (503 NC). */
    public Cluster find(ClusterKey key) {
        return clusters.get(key);
    }
}

package dev.meshgate.admin.views;

/**
 * {@code GET /clusters}: upstream clusters with endpoints, health, outlier state and pool usage. Expected shape:
 * <pre>{"clusters": [{"name": "outbound|9080|v1|reviews.default.svc.cluster.local",
 *   "endpoints": [{"address": "10.0.0.7:9080", "healthy": true, "ejected": false, "weight": 1}],
 *   "pool": {"active": 3, "idle": 5, "pending": 0, "max": 1024}}]}</pre>
 */
@FunctionalInterface
public interface ClustersView extends JsonView {
}

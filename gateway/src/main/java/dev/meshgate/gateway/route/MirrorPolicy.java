package dev.meshgate.gateway.route;

/**
 * Shadow traffic: a copy of the (rewritten) request goes to {@code cluster} with Host suffixed {@code -shadow};
 * the response is discarded and never awaited.
 *
 * @param percentage 0-100; Istio: absent means 100, explicit 0 means never
 */
public record MirrorPolicy(ClusterKey cluster, double percentage) {
}

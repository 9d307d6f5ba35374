package dev.meshgate.config.model.networking;

/**
 * Istio's {@code TrafficPolicy.PortTrafficPolicy}: settings for one destination port. Fields absent here take
 * their defaults, not the destination-level values.
 */
public record PortTrafficPolicy(
        PortSelector port,
        LoadBalancerSettings loadBalancer,
        ConnectionPoolSettings connectionPool,
        OutlierDetection outlierDetection,
        ClientTLSSettings tls) {
}

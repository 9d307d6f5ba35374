package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.List;

/**
 * Traffic policy of a DestinationRule or subset. Nested settings are null when absent; the
 * {@code ...OrDefault()} accessors return Istio's defaults for absent ones.
 *
 * @param portLevelSettings replace (do not inherit from) the destination-level settings for their port
 * @param proxyProtocol     [1.22+]
 * @param retryBudget       [1.27+]
 */
public record TrafficPolicy(
        LoadBalancerSettings loadBalancer,
        ConnectionPoolSettings connectionPool,
        OutlierDetection outlierDetection,
        ClientTLSSettings tls,
        List<PortTrafficPolicy> portLevelSettings,
        TunnelSettings tunnel,
        ProxyProtocol proxyProtocol,
        RetryBudget retryBudget) {

    public TrafficPolicy {
        portLevelSettings = Copies.list(portLevelSettings);
    }

    public LoadBalancerSettings loadBalancerOrDefault() {
        return loadBalancer == null ? LoadBalancerSettings.DEFAULT : loadBalancer;
    }

    public ConnectionPoolSettings connectionPoolOrDefault() {
        return connectionPool == null ? ConnectionPoolSettings.DEFAULT : connectionPool;
    }
}

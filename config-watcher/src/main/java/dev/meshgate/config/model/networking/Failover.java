package dev.meshgate.config.model.networking;

/**
 * Istio's {@code LocalityLoadBalancerSetting.Failover} (also used for the identical
 * {@code ZoneAwareLoadBalancerSetting.Failover}).
 *
 * @param from origin region
 * @param to   region to fail over to
 */
public record Failover(String from, String to) {
}

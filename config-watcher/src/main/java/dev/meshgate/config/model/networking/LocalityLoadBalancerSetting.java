package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.List;

/**
 * Locality-weighted load balancing; replaces MeshConfig's setting entirely. Only one of distribute / failover /
 * failoverPriority.
 *
 * @param enabled BoolValue; null = absent (MeshConfig decides; Istio's mesh default is enabled)
 */
public record LocalityLoadBalancerSetting(
        List<Distribute> distribute,
        List<Failover> failover,
        List<String> failoverPriority,
        Boolean enabled) {

    public LocalityLoadBalancerSetting {
        distribute = Copies.list(distribute);
        failover = Copies.list(failover);
        failoverPriority = Copies.list(failoverPriority);
    }
}

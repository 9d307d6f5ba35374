package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.List;

/**
 * Zone-aware load balancing [master].
 *
 * @param minClusterSize UInt64Value; null = 6 (destination_rule.proto: "If not specified, the default is 6")
 */
public record ZoneAwareLoadBalancerSetting(
        Boolean enabled,
        List<Failover> failover,
        List<String> failoverPriority,
        Long minClusterSize) {

    public static final long DEFAULT_MIN_CLUSTER_SIZE = 6L;

    public ZoneAwareLoadBalancerSetting {
        failover = Copies.list(failover);
        failoverPriority = Copies.list(failoverPriority);
    }

    public long minClusterSizeOrDefault() {
        return minClusterSize == null ? DEFAULT_MIN_CLUSTER_SIZE : minClusterSize;
    }
}

package dev.meshgate.config.model.networking;

import java.time.Duration;

/**
 * Load-balancing policy. {@code simple} and {@code consistentHash} are the {@code lb_policy} oneof (nullable
 * alternatives); when neither is set, or simple is UNSPECIFIED, Istio uses LEAST_REQUEST
 * (cluster_traffic_policy.go defaultLBAlgorithm) - see {@link #effectiveSimple()}.
 *
 * @param zoneAwareLbSetting  [master]
 * @param warmupDurationSecs  deprecated predecessor of {@code warmup.duration}
 * @param warmup              [1.24+]
 */
public record LoadBalancerSettings(
        SimpleLB simple,
        ConsistentHashLB consistentHash,
        LocalityLoadBalancerSetting localityLbSetting,
        ZoneAwareLoadBalancerSetting zoneAwareLbSetting,
        Duration warmupDurationSecs,
        WarmupConfiguration warmup) {

    /** Istio's default algorithm (cluster_traffic_policy.go defaultLBAlgorithm). */
    public static final SimpleLB DEFAULT_SIMPLE = SimpleLB.LEAST_REQUEST;
    /** The settings of a destination without a loadBalancer block. */
    public static final LoadBalancerSettings DEFAULT = new LoadBalancerSettings(null, null, null, null, null, null);

    /**
     * The simple algorithm in effect when {@code consistentHash} is null: UNSPECIFIED/absent and the deprecated
     * LEAST_CONN both mean LEAST_REQUEST. Returns null when consistent hashing is configured.
     */
    public SimpleLB effectiveSimple() {
        if (consistentHash != null) {
            return null;
        }
        if (simple == null || simple == SimpleLB.UNSPECIFIED || simple == SimpleLB.LEAST_CONN) {
            return DEFAULT_SIMPLE;
        }
        return simple;
    }

    /** Warmup duration from {@code warmup}, else the deprecated {@code warmupDurationSecs}; null = no warmup. */
    public Duration effectiveWarmupDuration() {
        if (warmup != null && warmup.duration() != null) {
            return warmup.duration();
        }
        return warmupDurationSecs;
    }

    public enum SimpleLB {
        UNSPECIFIED,
        /** Deprecated alias of LEAST_REQUEST. */
        LEAST_CONN,
        RANDOM,
        PASSTHROUGH,
        ROUND_ROBIN,
        LEAST_REQUEST
    }
}

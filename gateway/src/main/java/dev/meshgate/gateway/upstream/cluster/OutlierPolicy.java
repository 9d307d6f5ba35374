package dev.meshgate.gateway.upstream.cluster;

import dev.meshgate.config.model.networking.OutlierDetection;

import java.time.Duration;

/**
 * A compiled DestinationRule outlierDetection (passive health checking, Envoy outlier detection). Counters of 0
 * disable that detector. {@code minHealthPercent} is Envoy's healthy panic threshold as Istio sets it: below it
 * the balancer ignores ejections and uses every host (0 = never panic).
 */
public record OutlierPolicy(int consecutive5xxErrors, int consecutiveGatewayErrors,
                            boolean splitExternalLocalOriginErrors, int consecutiveLocalOriginFailures,
                            Duration interval, Duration baseEjectionTime, int maxEjectionPercent,
                            int minHealthPercent) {

    /** Envoy's default max_ejection_time (Istio does not set it): growing ejections stop growing there. */
    public static final Duration MAX_EJECTION_TIME = Duration.ofSeconds(300);

    /** Null when the rule has no outlierDetection block (then nothing is ever ejected). */
    public static OutlierPolicy of(OutlierDetection od) {
        if (od == null) {
            return null;
        }
        return new OutlierPolicy(od.consecutive5xxErrorsOrDefault(), od.consecutiveGatewayErrorsOrDefault(),
                od.splitExternalLocalOriginErrors(), od.consecutiveLocalOriginFailuresOrDefault(), od.interval(),
                od.baseEjectionTime(), od.maxEjectionPercent(), Math.max(0, od.minHealthPercent()));
    }
}

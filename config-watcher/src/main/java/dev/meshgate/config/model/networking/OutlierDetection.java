package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.time.Duration;
import java.util.List;

/**
 * Passive health checking (destination_rule.proto). Filled when absent: {@code interval} 10s,
 * {@code baseEjectionTime} 30s, {@code maxEjectionPercent} 10 (also for 0, which Istio cannot tell from absent).
 * The UInt32Value counters stay nullable because an explicit 0 disables them: see the {@code ...OrDefault()}
 * accessors.
 *
 * @param consecutiveErrors                deprecated; accepted, not used
 * @param consecutiveLocalOriginFailures   only with splitExternalLocalOriginErrors; null = 5
 * @param consecutiveGatewayErrors         502/503/504 only; null = 0 = disabled
 * @param consecutive5xxErrors             null = 5; 0 disables
 * @param minHealthPercent                 0 = always eject (the default)
 * @param outlierDetectionHttpErrorCodes   [master] status codes counted as errors
 */
public record OutlierDetection(
        int consecutiveErrors,
        boolean splitExternalLocalOriginErrors,
        Integer consecutiveLocalOriginFailures,
        Integer consecutiveGatewayErrors,
        Integer consecutive5xxErrors,
        Duration interval,
        Duration baseEjectionTime,
        Integer maxEjectionPercent,
        int minHealthPercent,
        List<Integer> outlierDetectionHttpErrorCodes) {

    /** "This feature defaults to 5 but can be disabled by setting the value to 0." */
    public static final int DEFAULT_CONSECUTIVE_5XX_ERRORS = 5;
    /** "This feature is disabled by default or when set to the value 0." */
    public static final int DEFAULT_CONSECUTIVE_GATEWAY_ERRORS = 0;
    /** "Defaults to 5." */
    public static final int DEFAULT_CONSECUTIVE_LOCAL_ORIGIN_FAILURES = 5;
    /** "Default is 10s." */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    /** "Default is 30s." */
    public static final Duration DEFAULT_BASE_EJECTION_TIME = Duration.ofSeconds(30);
    /** "Defaults to 10%." */
    public static final int DEFAULT_MAX_EJECTION_PERCENT = 10;

    public OutlierDetection {
        interval = interval == null ? DEFAULT_INTERVAL : interval;
        baseEjectionTime = baseEjectionTime == null ? DEFAULT_BASE_EJECTION_TIME : baseEjectionTime;
        maxEjectionPercent = maxEjectionPercent == null || maxEjectionPercent == 0
                ? DEFAULT_MAX_EJECTION_PERCENT : maxEjectionPercent;
        outlierDetectionHttpErrorCodes = Copies.list(outlierDetectionHttpErrorCodes);
    }

    public int consecutive5xxErrorsOrDefault() {
        return consecutive5xxErrors == null ? DEFAULT_CONSECUTIVE_5XX_ERRORS : consecutive5xxErrors;
    }

    public int consecutiveGatewayErrorsOrDefault() {
        return consecutiveGatewayErrors == null ? DEFAULT_CONSECUTIVE_GATEWAY_ERRORS : consecutiveGatewayErrors;
    }

    public int consecutiveLocalOriginFailuresOrDefault() {
        return consecutiveLocalOriginFailures == null
                ? DEFAULT_CONSECUTIVE_LOCAL_ORIGIN_FAILURES : consecutiveLocalOriginFailures;
    }
}

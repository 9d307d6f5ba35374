package dev.meshgate.config.model.networking;

import java.time.Duration;

/**
 * Istio's {@code HTTPFaultInjection.Delay}. {@code fixedDelay} / {@code exponentialDelay} are a oneof.
 *
 * @param percent          deprecated integer percentage, used when {@code percentage} is absent
 * @param exponentialDelay hidden and unsupported in Istio
 * @param percentage       null = absent: then {@code percent} applies, which is 0 when absent (no request delayed)
 */
public record Delay(int percent, Duration fixedDelay, Duration exponentialDelay, Percent percentage) {

    /** The share of requests to delay (Istio route.go translateFault: percentage, else percent, else 0). */
    public Percent effectivePercentage() {
        return percentage != null ? percentage : new Percent(percent);
    }
}

package dev.meshgate.config.model.networking;

import java.time.Duration;

/**
 * Slow-start warmup [1.24+]. Defaults filled when absent (destination_rule.proto): {@code minimumPercent} 10,
 * {@code aggression} 1.0 (linear).
 *
 * @param duration REQUIRED
 */
public record WarmupConfiguration(Duration duration, Double minimumPercent, Double aggression) {

    public static final double DEFAULT_MINIMUM_PERCENT = 10.0;
    public static final double DEFAULT_AGGRESSION = 1.0;

    public WarmupConfiguration {
        minimumPercent = minimumPercent == null ? DEFAULT_MINIMUM_PERCENT : minimumPercent;
        aggression = aggression == null ? DEFAULT_AGGRESSION : aggression;
    }
}

package dev.meshgate.config.model.networking;

import java.time.Duration;

/**
 * Istio's {@code TrafficPolicy.RetryBudget} [1.27+]. Defaults filled when absent (destination_rule.proto):
 * {@code percent} 20, {@code minRetryConcurrency} 3 (also for 0, the proto zero value), {@code budgetInterval}
 * 0ms (only active and pending requests count).
 *
 * @param percent DoubleValue, share of active requests that may be retries
 */
public record RetryBudget(Double percent, Integer minRetryConcurrency, Duration budgetInterval) {

    public static final double DEFAULT_PERCENT = 20.0;
    public static final int DEFAULT_MIN_RETRY_CONCURRENCY = 3;
    public static final Duration DEFAULT_BUDGET_INTERVAL = Duration.ZERO;

    public RetryBudget {
        percent = percent == null ? DEFAULT_PERCENT : percent;
        minRetryConcurrency = minRetryConcurrency == null || minRetryConcurrency == 0
                ? DEFAULT_MIN_RETRY_CONCURRENCY : minRetryConcurrency;
        budgetInterval = budgetInterval == null ? DEFAULT_BUDGET_INTERVAL : budgetInterval;
    }
}

package dev.meshgate.gateway.upstream.cluster;

import dev.meshgate.config.model.networking.RetryBudget;

/**
 * Istio's trafficPolicy.retryBudget as Envoy's circuit-breaker retry_budget: the retries allowed in flight are
 * {@code max(minRetryConcurrency, percent% of (active + pending requests))}. When set it replaces
 * connectionPool.http.maxRetries, as Envoy's retry budget overrides the max_retries threshold.
 *
 * @param percent             0-100, Istio default 20
 * @param minRetryConcurrency floor, Istio default 3
 */
public record RetryBudgetLimit(double percent, int minRetryConcurrency) {

    public static RetryBudgetLimit of(RetryBudget b) {
        if (b == null) {
            return null;
        }
        double percent = b.percent() == null ? RetryBudget.DEFAULT_PERCENT : b.percent();
        int min = b.minRetryConcurrency() == null ? RetryBudget.DEFAULT_MIN_RETRY_CONCURRENCY : b.minRetryConcurrency();
        return new RetryBudgetLimit(Math.max(0, Math.min(100, percent)), Math.max(0, min));
    }

    /** Envoy's RetryBudgetImpl::max(): the share is truncated to a whole number before the floor applies. */
    public int maxRetries(int activeAndPending) {
        long share = (long) (percent / 100.0 * Math.max(0, activeAndPending));
        return (int) Math.min(Integer.MAX_VALUE, Math.max(share, minRetryConcurrency));
    }
}

package dev.meshgate.gateway.route;

import java.time.Duration;
import java.util.Set;

/**
 * A compiled HTTPRetry. {@code retryOn} holds Envoy policy names (5xx, gateway-error, connect-failure,
 * retriable-4xx, refused-stream, reset, reset-before-request, retriable-status-codes, cancelled,
 * deadline-exceeded, internal, resource-exhausted, unavailable); bare status codes from Istio's
 * {@code retryOn} are in {@code retriableStatusCodes}.
 *
 * @param attempts            retries after the first try; 0 disables
 * @param perTryTimeout       null = none (bounded by the route timeout only)
 * @param backoffBase         Envoy base interval (default 25ms), exponential with jitter
 * @param ignorePreviousHosts a retry prefers a host not tried yet (Istio default true)
 */
public record RetryPolicy(int attempts, Duration perTryTimeout, Set<String> retryOn, Set<Integer> retriableStatusCodes,
                          Duration backoffBase, boolean ignorePreviousHosts) {

    /** Istio's default when a route sets no {@code retries} (route/retry/retry.go, 1.24+: no 503). */
    public static final RetryPolicy ISTIO_DEFAULT = new RetryPolicy(2, null,
            Set.of("connect-failure", "refused-stream", "unavailable", "cancelled", "retriable-status-codes"),
            Set.of(), Duration.ofMillis(25), true);

    public static final RetryPolicy NONE = new RetryPolicy(0, null, Set.of(), Set.of(), Duration.ofMillis(25), true);

    public RetryPolicy {
        retryOn = retryOn == null ? Set.of() : Set.copyOf(retryOn);
        retriableStatusCodes = retriableStatusCodes == null ? Set.of() : Set.copyOf(retriableStatusCodes);
        backoffBase = backoffBase == null ? Duration.ofMillis(25) : backoffBase;
    }
}

package dev.meshgate.config.model.networking;

import java.time.Duration;

/**
 * Retry policy of an HTTP route.
 *
 * <p>Istio (route/retry/retry.go ConvertPolicy): a route without {@code retries} gets {@link #MESH_DEFAULT};
 * a route with {@code retries} and {@code attempts <= 0} has no retries; otherwise unset fields keep the default
 * policy's values ({@link #retryOnOrDefault()} etc.).
 *
 * @param attempts                  retries after the first try; 0 (absent) disables retries
 * @param perTryTimeout             null = the route timeout
 * @param retryOn                   Envoy retry-on policies plus bare status codes, comma separated; null = default
 * @param retryRemoteLocalities     BoolValue; null = false
 * @param retryIgnorePreviousHosts  BoolValue [1.26+]; null = true
 * @param backoff                   base interval [1.26+]; null = 25ms
 */
public record HTTPRetry(
        int attempts,
        Duration perTryTimeout,
        String retryOn,
        Boolean retryRemoteLocalities,
        Boolean retryIgnorePreviousHosts,
        Duration backoff) {

    /**
     * Istio's default retryOn (retry.go defaultRetryOn; the proto comment lists the same set without
     * retriable-status-codes, which Istio adds with an empty code list since 1.24, so the effect is equal).
     */
    public static final String DEFAULT_RETRY_ON = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";
    /** retry.go DefaultPolicy: 2 retries. */
    public static final int DEFAULT_ATTEMPTS = 2;
    /** Envoy's default retry back-off base interval (virtual_service.proto backoff: "default 25ms"). */
    public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(25);
    /** virtual_service.proto retryIgnorePreviousHosts: "Defaults to true". */
    public static final boolean DEFAULT_RETRY_IGNORE_PREVIOUS_HOSTS = true;
    /** The policy of routes without {@code retries} (Istio's built-in default, before MeshConfig overrides). */
    public static final HTTPRetry MESH_DEFAULT = new HTTPRetry(DEFAULT_ATTEMPTS, null, DEFAULT_RETRY_ON, null, null, null);

    public String retryOnOrDefault() {
        return retryOn == null || retryOn.isBlank() ? DEFAULT_RETRY_ON : retryOn;
    }

    public boolean retryRemoteLocalitiesOrDefault() {
        return retryRemoteLocalities != null && retryRemoteLocalities;
    }

    public boolean retryIgnorePreviousHostsOrDefault() {
        return retryIgnorePreviousHosts == null ? DEFAULT_RETRY_IGNORE_PREVIOUS_HOSTS : retryIgnorePreviousHosts;
    }

    public Duration backoffOrDefault() {
        return backoff == null ? DEFAULT_BACKOFF : backoff;
    }

    /** False when {@code attempts <= 0}: Istio then installs no retry policy at all. */
    public boolean enabled() {
        return attempts > 0;
    }
}

package dev.meshgate.gateway.upstream.cluster;

import dev.meshgate.config.model.networking.ConnectionPoolSettings;

import java.time.Duration;

/**
 * Envoy circuit-breaker thresholds compiled from a DestinationRule connectionPool. Istio's "2^32-1" defaults are
 * clamped to {@link #UNLIMITED}. Counted per cluster across every event loop, as Envoy's cluster-wide
 * thresholds are.
 *
 * @param maxConnections           tcp.maxConnections: HTTP/1.1 requests in flight at once (one per connection)
 * @param maxPendingRequests       http.http1MaxPendingRequests: requests waiting for a connection
 * @param maxRequests              http.http2MaxRequests: requests in flight (HTTP/1.1 and HTTP/2)
 * @param maxRetries               http.maxRetries: retries in flight
 * @param maxRequestsPerConnection http.maxRequestsPerConnection, 0 = unlimited
 * @param maxConnectionDuration    tcp.maxConnectionDuration, null = unlimited
 * @param maxConcurrentStreams     http.maxConcurrentStreams: streams per HTTP/2 upstream connection, 0 = unset (the
 *                                 server's SETTINGS_MAX_CONCURRENT_STREAMS applies)
 * @param retryBudget              trafficPolicy.retryBudget, null = none; when set it replaces maxRetries
 */
public record PoolLimits(int maxConnections, int maxPendingRequests, int maxRequests, int maxRetries,
                         int maxRequestsPerConnection, Duration maxConnectionDuration, int maxConcurrentStreams,
                         RetryBudgetLimit retryBudget) {

    public static final int UNLIMITED = Integer.MAX_VALUE;
    public static final PoolLimits DEFAULT = new PoolLimits(UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED, 0, null);

    public PoolLimits {
        maxConnectionDuration = maxConnectionDuration == null || maxConnectionDuration.isZero()
                || maxConnectionDuration.isNegative() ? null : maxConnectionDuration;
        maxConcurrentStreams = Math.max(0, maxConcurrentStreams);
    }

    public PoolLimits(int maxConnections, int maxPendingRequests, int maxRequests, int maxRetries,
                      int maxRequestsPerConnection, Duration maxConnectionDuration) {
        this(maxConnections, maxPendingRequests, maxRequests, maxRetries, maxRequestsPerConnection,
                maxConnectionDuration, 0, null);
    }

    public static PoolLimits of(ConnectionPoolSettings cp) {
        return of(cp, null);
    }

    public static PoolLimits of(ConnectionPoolSettings cp, RetryBudgetLimit retryBudget) {
        if (cp == null) {
            return retryBudget == null ? DEFAULT : new PoolLimits(UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED, 0,
                    null, 0, retryBudget);
        }
        var tcp = cp.tcpOrDefault();
        var http = cp.httpOrDefault();
        // 0 and Envoy's default 2^31-1 both mean "no limit of our own"
        int streams = http.maxConcurrentStreams() >= Integer.MAX_VALUE ? 0 : http.maxConcurrentStreams();
        return new PoolLimits(clamp(tcp.maxConnectionsOrDefault()), clamp(http.http1MaxPendingRequestsOrDefault()),
                clamp(http.http2MaxRequestsOrDefault()), clamp(http.maxRetriesOrDefault()),
                (int) Math.min(Integer.MAX_VALUE, http.maxRequestsPerConnectionOrDefault()),
                tcp.maxConnectionDuration(), streams, retryBudget);
    }

    /** Retries allowed in flight now: the retry budget when set (from the requests in flight), else maxRetries. */
    public int retryLimit(int activeAndPending) {
        return retryBudget == null ? maxRetries : retryBudget.maxRetries(activeAndPending);
    }

    private static int clamp(long v) {
        return v <= 0 || v >= UNLIMITED ? UNLIMITED : (int) v;
    }

    /** Connections one client keeps per endpoint: the Vert.x pool never opens more than the breaker admits. */
    public int http1PoolSize(int defaultSize) {
        return Math.min(defaultSize, maxConnections);
    }
}

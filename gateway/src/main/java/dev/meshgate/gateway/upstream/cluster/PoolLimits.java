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
 */
public record PoolLimits(int maxConnections, int maxPendingRequests, int maxRequests, int maxRetries,
                         int maxRequestsPerConnection, Duration maxConnectionDuration) {

    public static final int UNLIMITED = Integer.MAX_VALUE;
    public static final PoolLimits DEFAULT = new PoolLimits(UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED, 0, null);

    public PoolLimits {
        maxConnectionDuration = maxConnectionDuration == null || maxConnectionDuration.isZero()
                || maxConnectionDuration.isNegative() ? null : maxConnectionDuration;
    }

    public static PoolLimits of(ConnectionPoolSettings cp) {
        if (cp == null) {
            return DEFAULT;
        }
        var tcp = cp.tcpOrDefault();
        var http = cp.httpOrDefault();
        return new PoolLimits(clamp(tcp.maxConnectionsOrDefault()), clamp(http.http1MaxPendingRequestsOrDefault()),
                clamp(http.http2MaxRequestsOrDefault()), clamp(http.maxRetriesOrDefault()),
                (int) Math.min(Integer.MAX_VALUE, http.maxRequestsPerConnectionOrDefault()),
                tcp.maxConnectionDuration());
    }

    private static int clamp(long v) {
        return v <= 0 || v >= UNLIMITED ? UNLIMITED : (int) v;
    }

    /** Connections one client keeps per endpoint: the Vert.x pool never opens more than the breaker admits. */
    public int http1PoolSize(int defaultSize) {
        return Math.min(defaultSize, maxConnections);
    }
}

package dev.meshgate.gateway.upstream.cluster;

import java.time.Duration;

/**
 * The effective traffic policy of one cluster after the DestinationRule merge (top level, port level, subset).
 *
 * @param connectTimeout connectionPool.tcp.connectTimeout, Istio default 10s
 * @param idleTimeout    connectionPool idle timeout of HTTP upstream connections (http.idleTimeout, else
 *                       tcp.idleTimeout), Istio default 1h
 * @param pool           connection-pool limits (circuit breakers)
 * @param outlier        outlier detection, null = none
 * @param tls            TLS origination, null = plaintext
 * @param keepalive      connectionPool.tcp.tcpKeepalive, null = SO_KEEPALIVE off
 * @param tcpIdleTimeout idle timeout of TCP-route connections: connectionPool.tcp.idleTimeout only (Envoy's TCP
 *                       proxy idle_timeout ignores http.idleTimeout), default 1h, zero = none
 */
public record ClusterPolicy(LbPolicy loadBalancer, Duration connectTimeout, Duration idleTimeout, PoolLimits pool,
                            OutlierPolicy outlier, TlsOrigination tls, Keepalive keepalive,
                            Duration tcpIdleTimeout) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);
    public static final ClusterPolicy DEFAULT = new ClusterPolicy(LbPolicy.DEFAULT, DEFAULT_CONNECT_TIMEOUT,
            DEFAULT_IDLE_TIMEOUT, PoolLimits.DEFAULT, null, null, null, DEFAULT_IDLE_TIMEOUT);

    public ClusterPolicy {
        loadBalancer = loadBalancer == null ? LbPolicy.DEFAULT : loadBalancer;
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
        pool = pool == null ? PoolLimits.DEFAULT : pool;
        tcpIdleTimeout = tcpIdleTimeout == null ? DEFAULT_IDLE_TIMEOUT : tcpIdleTimeout;
    }

    /** TCP routes use {@code idleTimeout} too (policies built before the two were told apart). */
    public ClusterPolicy(LbPolicy loadBalancer, Duration connectTimeout, Duration idleTimeout, PoolLimits pool,
                         OutlierPolicy outlier, TlsOrigination tls, Keepalive keepalive) {
        this(loadBalancer, connectTimeout, idleTimeout, pool, outlier, tls, keepalive, idleTimeout);
    }

    public ClusterPolicy(LbPolicy loadBalancer, Duration connectTimeout, Duration idleTimeout, PoolLimits pool,
                         OutlierPolicy outlier, TlsOrigination tls) {
        this(loadBalancer, connectTimeout, idleTimeout, pool, outlier, tls, null, idleTimeout);
    }

    public ClusterPolicy(LbPolicy loadBalancer, Duration connectTimeout, Duration idleTimeout) {
        this(loadBalancer, connectTimeout, idleTimeout, PoolLimits.DEFAULT, null, null, null, idleTimeout);
    }
}

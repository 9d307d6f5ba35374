package dev.meshgate.gateway.upstream.cluster;

/**
 * What distinguishes one upstream HttpClient from another: clusters with equal profiles share the event loop's
 * client (whose pools are per endpoint anyway).
 *
 * @param http1PoolSize           connections per endpoint (bounded by tcp.maxConnections)
 * @param maxConnectionDurationMs tcp.maxConnectionDuration, 0 = unlimited
 * @param tls                     TLS origination settings of the client, null = plaintext
 */
public record ClientProfile(UpstreamProtocol protocol, long connectTimeoutMs, long idleTimeoutMs, int http1PoolSize,
                            long maxConnectionDurationMs, TlsOrigination.ClientTls tls) {

    /** Per endpoint, per event loop. Envoy has no limit by default; Vert.x allocates pool slots up front. */
    public static final int DEFAULT_HTTP1_POOL_SIZE = 1024;

    public static ClientProfile of(UpstreamProtocol protocol, ClusterPolicy policy) {
        PoolLimits pool = policy.pool();
        return new ClientProfile(protocol, policy.connectTimeout().toMillis(), policy.idleTimeout().toMillis(),
                pool.http1PoolSize(DEFAULT_HTTP1_POOL_SIZE),
                pool.maxConnectionDuration() == null ? 0 : pool.maxConnectionDuration().toMillis(),
                policy.tls() == null ? null : policy.tls().clientTls());
    }
}

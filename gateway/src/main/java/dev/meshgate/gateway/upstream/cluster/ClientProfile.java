package dev.meshgate.gateway.upstream.cluster;

/**
 * What distinguishes one upstream HttpClient from another: clusters with equal profiles share the event loop's
 * client (whose pools are per endpoint anyway).
 *
 * @param protocol                {@link UpstreamProtocol#HTTP1} or {@link UpstreamProtocol#H2C}, never DOWNSTREAM
 * @param http1PoolSize           connections per endpoint (bounded by tcp.maxConnections)
 * @param maxConnectionDurationMs tcp.maxConnectionDuration, 0 = unlimited
 * @param tls                     TLS origination settings of the client, null = plaintext
 * @param keepalive               tcp.tcpKeepalive, null = SO_KEEPALIVE off
 * @param maxConcurrentStreams    streams per HTTP/2 connection, 0 = as the server allows
 */
public record ClientProfile(UpstreamProtocol protocol, long connectTimeoutMs, long idleTimeoutMs, int http1PoolSize,
                            long maxConnectionDurationMs, TlsOrigination.ClientTls tls, Keepalive keepalive,
                            int maxConcurrentStreams) {

    /** Per endpoint, per event loop. Envoy has no limit by default; Vert.x allocates pool slots up front. */
    public static final int DEFAULT_HTTP1_POOL_SIZE = 1024;

    public static ClientProfile of(UpstreamProtocol protocol, ClusterPolicy policy) {
        PoolLimits pool = policy.pool();
        // Istio sets max_concurrent_streams only on explicit HTTP/2 clusters, not with use_downstream_protocol
        int streams = protocol == UpstreamProtocol.H2C ? pool.maxConcurrentStreams() : 0;
        return new ClientProfile(protocol == UpstreamProtocol.DOWNSTREAM ? UpstreamProtocol.HTTP1 : protocol,
                policy.connectTimeout().toMillis(), policy.idleTimeout().toMillis(),
                pool.http1PoolSize(DEFAULT_HTTP1_POOL_SIZE),
                pool.maxConnectionDuration() == null ? 0 : pool.maxConnectionDuration().toMillis(),
                policy.tls() == null ? null : policy.tls().clientTls(), policy.keepalive(), streams);
    }

    /** The HTTP/2 sibling of a useClientProtocol cluster's profile, for requests that came in over HTTP/2. */
    ClientProfile asHttp2() {
        return new ClientProfile(UpstreamProtocol.H2C, connectTimeoutMs, idleTimeoutMs, http1PoolSize,
                maxConnectionDurationMs, tls, keepalive, 0);
    }
}

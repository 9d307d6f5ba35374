package dev.meshgate.gateway.upstream.cluster;

/**
 * What distinguishes one upstream HttpClient from another: clusters with equal profiles share the event loop's
 * client (whose pools are per endpoint anyway). Issue 5 adds pool limits and TLS origination here.
 */
public record ClientProfile(UpstreamProtocol protocol, long connectTimeoutMs, long idleTimeoutMs) {

    public static ClientProfile of(UpstreamProtocol protocol, ClusterPolicy policy) {
        return new ClientProfile(protocol, policy.connectTimeout().toMillis(), policy.idleTimeout().toMillis());
    }
}

package dev.meshgate.gateway.upstream.cluster;

/** How the gateway talks to a cluster's endpoints. */
public enum UpstreamProtocol {
    /** HTTP/1.1 with keep-alive. */
    HTTP1,
    /**
     * HTTP/2: cleartext with prior knowledge, or ALPN h2 with TLS origination (ports named/typed http2, grpc, h2c;
     * h2UpgradePolicy UPGRADE).
     */
    H2C,
    /**
     * connectionPool.http.useClientProtocol: each request goes upstream in its downstream's protocol (HTTP/2 in,
     * {@link #H2C} out; HTTP/1.x in, {@link #HTTP1} out), as Envoy's use_downstream_protocol_config.
     */
    DOWNSTREAM
}

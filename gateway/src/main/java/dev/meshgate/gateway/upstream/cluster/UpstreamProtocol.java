package dev.meshgate.gateway.upstream.cluster;

/** How the gateway talks to a cluster's endpoints. */
public enum UpstreamProtocol {
    /** HTTP/1.1 with keep-alive. */
    HTTP1,
    /** Cleartext HTTP/2 with prior knowledge (ports named/typed http2, grpc, h2c). */
    H2C
}

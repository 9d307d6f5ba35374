package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.JsonName;

/**
 * Port protocols. Istio's proto types {@code Port.protocol} as a string, but validation accepts only the names of
 * Istio's {@code pkg/config/protocol} (case-insensitively), so the model makes them an enum and the binder rejects
 * anything else with the list of allowed values.
 */
public enum Protocol {
    HTTP,
    HTTPS,
    GRPC,
    @JsonName("GRPC-WEB")
    GRPC_WEB,
    HTTP2,
    HTTP_PROXY,
    MONGO,
    REDIS,
    MYSQL,
    TCP,
    TLS,
    UDP;

    /** HTTP-family protocols: routed with VirtualService {@code http} routes. */
    public boolean isHttp() {
        return this == HTTP || this == HTTP2 || this == GRPC || this == GRPC_WEB || this == HTTP_PROXY;
    }

    /** HTTP-family protocols that use HTTP/2 as transport (Istio protocol.IsHTTP2). */
    public boolean isHttp2() {
        return this == HTTP2 || this == GRPC || this == GRPC_WEB;
    }

    public boolean isGrpc() {
        return this == GRPC || this == GRPC_WEB;
    }

    /** Protocols whose gateway servers carry TLS (terminated or passthrough). */
    public boolean isTls() {
        return this == HTTPS || this == TLS;
    }

    /** The protocol seen after TLS termination: HTTPS becomes HTTP, TLS becomes TCP (Istio AfterTLSTermination). */
    public Protocol afterTlsTermination() {
        return switch (this) {
            case HTTPS -> HTTP;
            case TLS -> TCP;
            default -> this;
        };
    }
}

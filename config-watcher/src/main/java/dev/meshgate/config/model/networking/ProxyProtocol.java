package dev.meshgate.config.model.networking;

/**
 * Istio's {@code TrafficPolicy.ProxyProtocol}: send a PROXY protocol header upstream. {@code version} is filled
 * with V1 when absent (destination_rule.proto: "By default it is V1").
 */
public record ProxyProtocol(Version version) {

    public ProxyProtocol {
        version = version == null ? Version.V1 : version;
    }

    /** Istio's {@code ProxyProtocol.VERSION}. */
    public enum Version {
        V1,
        V2
    }
}

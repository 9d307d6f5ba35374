package dev.meshgate.config.model.networking;

/**
 * Istio's {@code TrafficPolicy.TunnelSettings}: tunnel TCP/TLS routes over HTTP CONNECT or POST.
 * {@code protocol} is filled with {@code CONNECT} when absent or empty (destination_rule.proto: "CONNECT is used
 * by default if not specified"); Istio's proto types it as a string, so it stays one (validators check it).
 *
 * @param protocol   CONNECT or POST
 * @param targetHost REQUIRED
 * @param targetPort REQUIRED; 0 when absent
 */
public record TunnelSettings(String protocol, String targetHost, int targetPort) {

    public static final String DEFAULT_PROTOCOL = "CONNECT";

    public TunnelSettings {
        protocol = protocol == null || protocol.isEmpty() ? DEFAULT_PROTOCOL : protocol;
    }
}

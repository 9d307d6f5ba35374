package dev.meshgate.config.model.networking;

/**
 * Per-host connection-pool limits (Envoy circuit breakers). {@code tcp} and {@code http} are null when absent;
 * {@link #tcpOrDefault()} / {@link #httpOrDefault()} give the settings in effect.
 */
public record ConnectionPoolSettings(TCPSettings tcp, HTTPSettings http) {

    /** The settings of a destination without a connectionPool block. */
    public static final ConnectionPoolSettings DEFAULT = new ConnectionPoolSettings(null, null);

    public TCPSettings tcpOrDefault() {
        return tcp == null ? TCPSettings.DEFAULT : tcp;
    }

    public HTTPSettings httpOrDefault() {
        return http == null ? HTTPSettings.DEFAULT : http;
    }
}

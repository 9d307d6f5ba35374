package dev.meshgate.config.model.networking;

import java.time.Duration;

/**
 * Istio's {@code ConnectionPoolSettings.TCPSettings}. Filled when absent (destination_rule.proto):
 * {@code connectTimeout} 10s, {@code idleTimeout} 1h (an explicit 0s disables it).
 *
 * @param maxConnections        0 when absent = {@link #DEFAULT_MAX_CONNECTIONS}; see {@link #maxConnectionsOrDefault()}
 * @param tcpKeepalive          null = no TCP keepalive
 * @param maxConnectionDuration null = unlimited
 */
public record TCPSettings(
        int maxConnections,
        Duration connectTimeout,
        TcpKeepalive tcpKeepalive,
        Duration maxConnectionDuration,
        Duration idleTimeout) {

    /** destination_rule.proto maxConnections: "Default 2^32-1". */
    public static final long DEFAULT_MAX_CONNECTIONS = 4_294_967_295L;
    /** destination_rule.proto connectTimeout: "Default is 10s". */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** destination_rule.proto idleTimeout: "If not set, the default idle timeout is 1 hour". */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);
    public static final TCPSettings DEFAULT = new TCPSettings(0, null, null, null, null);

    public TCPSettings {
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
    }

    public long maxConnectionsOrDefault() {
        return maxConnections > 0 ? maxConnections : DEFAULT_MAX_CONNECTIONS;
    }
}

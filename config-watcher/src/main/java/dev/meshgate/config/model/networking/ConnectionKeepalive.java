package dev.meshgate.config.model.networking;

import java.time.Duration;

/**
 * Istio's {@code ConnectionPoolSettings.HTTPSettings.ConnectionKeepalive}: HTTP/2 PING keepalive [master].
 */
public record ConnectionKeepalive(Duration interval, Duration timeout) {
}

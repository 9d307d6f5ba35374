package dev.meshgate.config.model.networking;

import java.time.Duration;

/**
 * Istio's {@code ConnectionPoolSettings.TCPSettings.TcpKeepalive}. Absent values use the OS configuration.
 *
 * @param probes   0 = OS default (Linux 9)
 * @param time     null = OS default (Linux 7200s)
 * @param interval null = OS default (Linux 75s)
 */
public record TcpKeepalive(int probes, Duration time, Duration interval) {
}

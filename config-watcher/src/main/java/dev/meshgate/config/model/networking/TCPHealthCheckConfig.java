package dev.meshgate.config.model.networking;

/**
 * {@code ReadinessProbe.tcpSocket} (Kubernetes' TCPSocketAction).
 *
 * @param port REQUIRED; 0 when absent
 */
public record TCPHealthCheckConfig(String host, int port) {
}

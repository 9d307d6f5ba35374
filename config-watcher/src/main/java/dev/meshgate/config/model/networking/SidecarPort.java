package dev.meshgate.config.model.networking;

/**
 * A Sidecar listener port.
 *
 * @param number     0 when absent
 * @param protocol   null when absent
 * @param targetPort deprecated; 0 when absent
 */
public record SidecarPort(int number, Protocol protocol, String name, int targetPort) {
}

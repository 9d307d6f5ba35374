package dev.meshgate.config.model.networking;

/**
 * A Gateway server port.
 *
 * @param number     REQUIRED; 0 when absent (validators report it)
 * @param protocol   REQUIRED; null when absent
 * @param name       REQUIRED, unique within the Gateway
 * @param targetPort deprecated and hidden in Istio; 0 when absent
 */
public record Port(int number, Protocol protocol, String name, int targetPort) {
}

package dev.meshgate.config.model.networking;

/**
 * Istio's {@code ConsistentHashLB.HTTPCookie.Attribute}.
 *
 * @param name REQUIRED
 */
public record Attribute(String name, String value) {
}

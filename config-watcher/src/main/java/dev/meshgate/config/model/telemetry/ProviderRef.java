package dev.meshgate.config.model.telemetry;

/**
 * A reference to a MeshConfig extension provider.
 *
 * @param name REQUIRED
 */
public record ProviderRef(String name) {
}

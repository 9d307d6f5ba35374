package dev.meshgate.config.model.telemetry;

/**
 * Istio's {@code Tracing.Environment}: a tag from a proxy environment variable.
 *
 * @param name REQUIRED
 */
public record Environment(String name, String defaultValue) {
}

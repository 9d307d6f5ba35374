package dev.meshgate.config.model.telemetry;

/**
 * Istio's {@code Tracing.Formatter} [1.29+]: a tag from an access-log formatter string.
 *
 * @param value REQUIRED
 */
public record Formatter(String value) {
}

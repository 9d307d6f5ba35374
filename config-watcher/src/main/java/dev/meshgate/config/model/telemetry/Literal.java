package dev.meshgate.config.model.telemetry;

/**
 * Istio's {@code Tracing.Literal}.
 *
 * @param value REQUIRED
 */
public record Literal(String value) {
}

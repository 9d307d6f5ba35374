package dev.meshgate.config.model.telemetry;

/**
 * Istio's {@code Tracing.RequestHeader}: a tag from a request header.
 *
 * @param name REQUIRED
 */
public record RequestHeader(String name, String defaultValue) {
}

package dev.meshgate.config.model.telemetry;

/**
 * Istio's {@code AccessLogging.Filter}.
 *
 * @param expression CEL, e.g. {@code response.code >= 400}
 */
public record Filter(String expression) {
}

package dev.meshgate.config.model.telemetry;

/**
 * Istio's {@code Tracing.CustomTag}: a oneof of literal / environment / header / formatter (nullable
 * alternatives).
 *
 * @param formatter [1.29+]
 */
public record CustomTag(Literal literal, Environment environment, RequestHeader header, Formatter formatter) {
}

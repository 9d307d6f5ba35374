package dev.meshgate.config.model.security;

/** Istio's {@code Rule.To}. */
public record To(Operation operation) {
}

package dev.meshgate.config.model.security;

/** Istio's {@code Rule.From}. */
public record From(Source source) {
}

package dev.meshgate.config.model.networking;

/** A header of an HTTP readiness probe. */
public record HTTPHeader(String name, String value) {
}

package dev.meshgate.config.model.security;

/**
 * A header carrying a JWT.
 *
 * @param name   REQUIRED
 * @param prefix e.g. {@code "Bearer "}; a token without it is invalid
 */
public record JWTHeader(String name, String prefix) {
}

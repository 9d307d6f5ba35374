package dev.meshgate.config.model.security;

/**
 * Copy a JWT claim into a request header (overwriting it).
 *
 * @param header REQUIRED
 * @param claim  REQUIRED; nested claims as {@code a.b.c}
 */
public record ClaimToHeader(String header, String claim) {
}

package dev.meshgate.config.model.networking;

/**
 * A fixed response instead of forwarding.
 *
 * @param status REQUIRED; 0 when absent
 * @param body   null = empty body
 */
public record HTTPDirectResponse(int status, HTTPBody body) {
}

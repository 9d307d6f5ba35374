package dev.meshgate.config.model.networking;

/**
 * Header manipulation for a route or a destination.
 *
 * @param request  null when absent
 * @param response null when absent
 */
public record Headers(HeaderOperations request, HeaderOperations response) {
}

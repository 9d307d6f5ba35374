package dev.meshgate.config.model.networking;

/**
 * A delegate VirtualService.
 *
 * @param namespace null = the namespace of the root VirtualService
 */
public record Delegate(String name, String namespace) {
}

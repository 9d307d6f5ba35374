package dev.meshgate.config.model.networking;

/**
 * A weighted L4 (TLS/TCP) destination; the weight applies per connection.
 *
 * @param destination REQUIRED
 */
public record RouteDestination(Destination destination, int weight) {
}

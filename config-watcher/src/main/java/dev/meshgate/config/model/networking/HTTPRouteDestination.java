package dev.meshgate.config.model.networking;

/**
 * A weighted HTTP destination.
 *
 * @param destination REQUIRED
 * @param weight      relative weight; 0 when absent (a single destination gets all traffic regardless)
 * @param headers     per-destination header operations, applied after the route-level ones; null when absent
 */
public record HTTPRouteDestination(Destination destination, int weight, Headers headers) {
}

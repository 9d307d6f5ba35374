package dev.meshgate.config.model.networking;

/**
 * A registry service (Kubernetes service or ServiceEntry host) traffic is sent to.
 *
 * @param host   REQUIRED; short names are resolved in the rule's namespace
 * @param subset name of a DestinationRule subset, or null
 * @param port   null when the service has exactly one port
 */
public record Destination(String host, String subset, PortSelector port) {
}

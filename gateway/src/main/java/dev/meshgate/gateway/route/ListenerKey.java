package dev.meshgate.gateway.route;

/**
 * Identity of a listener as Istio merges Gateway servers: one per (bind address, service port).
 *
 * @param bind the server's {@code bind}, or null for the instance default
 */
public record ListenerKey(String bind, int port) {

    @Override
    public String toString() {
        return (bind == null ? "*" : bind) + ":" + port;
    }
}

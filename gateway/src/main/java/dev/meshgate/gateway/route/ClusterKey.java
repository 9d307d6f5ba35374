package dev.meshgate.gateway.route;

/**
 * An upstream cluster as Istio names it: {@code outbound|<port>|<subset>|<fqdn>}.
 *
 * @param host   fully qualified service host (short names already resolved against the VirtualService namespace)
 * @param subset DestinationRule subset name, or "" for none
 * @param port   service port, or 0 when the destination did not name one (the service must then have one port)
 */
public record ClusterKey(String host, String subset, int port) {

    public ClusterKey {
        subset = subset == null ? "" : subset;
    }

    /** Envoy/Istio cluster name, used in access logs and {@code /clusters}. */
    public String name() {
        return "outbound|" + (port == 0 ? "" : Integer.toString(port)) + "|" + subset + "|" + host;
    }

    @Override
    public String toString() {
        return name();
    }
}

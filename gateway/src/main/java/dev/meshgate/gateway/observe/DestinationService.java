package dev.meshgate.gateway.observe;

/**
 * Istio's destination_service / _name / _namespace for a cluster. A Kubernetes service host
 * ({@code name.ns.svc.<domain>}) splits into name and namespace; any other host (a ServiceEntry) keeps the host
 * as the name and an unknown namespace. Without a cluster (404 NR) Istio's gateway falls back to the Host header,
 * port included.
 */
record DestinationService(String service, String name, String namespace) {

    static final DestinationService UNKNOWN = new DestinationService("unknown", "unknown", "unknown");

    /** From {@code outbound|port|subset|host}, or a bare host. */
    static DestinationService ofCluster(String cluster) {
        String host = cluster;
        int bar = cluster.lastIndexOf('|');
        if (bar >= 0) {
            host = cluster.substring(bar + 1);
        }
        if (host.isEmpty()) {
            return UNKNOWN;
        }
        int svc = host.indexOf(".svc.");
        if (svc > 0) {
            String nameNs = host.substring(0, svc);
            int dot = nameNs.indexOf('.');
            if (dot > 0 && dot < nameNs.length() - 1 && nameNs.indexOf('.', dot + 1) < 0) {
                return new DestinationService(host, nameNs.substring(0, dot), nameNs.substring(dot + 1));
            }
        }
        return new DestinationService(host, host, "unknown");
    }

    static DestinationService ofHostHeader(String authority) {
        if (authority == null || authority.isEmpty()) {
            return UNKNOWN;
        }
        return new DestinationService(authority, authority, "unknown");
    }
}

package dev.meshgate.gateway.upstream.cluster;

import java.util.Map;

/**
 * One endpoint of a cluster: where to connect, its LB weight and labels (for subsets), and its live counters.
 *
 * @param address IP or host name to connect to
 * @param port    endpoint port (WorkloadEntry.ports &gt; targetPort &gt; service port)
 * @param weight  LB weight, &ge; 1
 */
public record Host(String address, int port, int weight, Map<String, String> labels, HostStats stats) {

    public Host {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        weight = Math.max(1, weight);
        stats = stats == null ? new HostStats() : stats;
    }

    /** {@code address:port}, as Envoy's %UPSTREAM_HOST% prints it. */
    public String hostPort() {
        return address.indexOf(':') >= 0 ? "[" + address + "]:" + port : address + ":" + port;
    }

    // identity semantics: a Host is the same object for one snapshot; avoids hashing the label map per request
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}

package dev.meshgate.gateway.upstream.registry;

import java.util.Map;

/**
 * One endpoint of a registry service before port resolution: a ServiceEntry endpoint or a selected WorkloadEntry.
 *
 * @param ports  service port name -&gt; endpoint port (WorkloadEntry.ports)
 * @param weight LB weight, 0 = default (1)
 */
public record ServiceEndpoint(String address, Map<String, Integer> ports, Map<String, String> labels, int weight) {

    public ServiceEndpoint {
        ports = ports == null ? Map.of() : Map.copyOf(ports);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** WorkloadEntry.ports by port name, else the service port's targetPort, else its number. */
    public int portFor(String portName, int targetPort, int number) {
        Integer p = portName == null ? null : ports.get(portName);
        if (p != null && p > 0) {
            return p;
        }
        return targetPort > 0 ? targetPort : number;
    }
}

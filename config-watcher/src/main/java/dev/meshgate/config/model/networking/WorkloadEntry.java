package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.Map;

/**
 * Spec of {@code networking.istio.io} WorkloadEntry, also a ServiceEntry endpoint and the WorkloadGroup template.
 *
 * @param address        IP, DNS name (DNS resolution only) or {@code unix:///path}; null = {@code network} required
 * @param ports          service port name to endpoint port; takes precedence over the ServicePort targetPort
 * @param weight         LB weight; 0 when absent
 * @param serviceAccount null when absent
 */
public record WorkloadEntry(
        String address,
        Map<String, Integer> ports,
        Map<String, String> labels,
        String network,
        String locality,
        int weight,
        String serviceAccount) {

    public WorkloadEntry {
        ports = Copies.map(ports);
        labels = Copies.map(labels);
    }
}

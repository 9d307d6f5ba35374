package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.List;

/**
 * Spec of {@code networking.istio.io} ServiceEntry. {@code location} is filled with MESH_EXTERNAL and
 * {@code resolution} with NONE when absent (the enum zero values).
 *
 * @param hosts            REQUIRED
 * @param addresses        VIPs/CIDRs; empty = identify by port only
 * @param endpoints        exclusive with {@code workloadSelector}
 * @param workloadSelector null when absent
 * @param exportTo         empty = all namespaces
 */
public record ServiceEntry(
        List<String> hosts,
        List<String> addresses,
        List<ServicePort> ports,
        Location location,
        Resolution resolution,
        List<WorkloadEntry> endpoints,
        WorkloadSelector workloadSelector,
        List<String> exportTo,
        List<String> subjectAltNames) {

    public ServiceEntry {
        hosts = Copies.list(hosts);
        addresses = Copies.list(addresses);
        ports = Copies.list(ports);
        location = location == null ? Location.MESH_EXTERNAL : location;
        resolution = resolution == null ? Resolution.NONE : resolution;
        endpoints = Copies.list(endpoints);
        exportTo = Copies.list(exportTo);
        subjectAltNames = Copies.list(subjectAltNames);
    }

    public enum Location {
        MESH_EXTERNAL,
        MESH_INTERNAL
    }

    public enum Resolution {
        NONE,
        STATIC,
        DNS,
        DNS_ROUND_ROBIN,
        /** [1.28+] */
        DYNAMIC_DNS
    }
}

package dev.meshgate.gateway.upstream.registry;

import dev.meshgate.config.model.networking.ServicePort;

import java.util.List;

/**
 * A service as the upstream side sees it, whatever its source (ServiceEntry today; Kubernetes Services and DNS
 * results later plug in as further {@link ServiceSource}s).
 *
 * @param host      FQDN or ServiceEntry host as written (lower case)
 * @param namespace namespace of the defining resource (for DestinationRule lookup)
 * @param source    e.g. {@code ServiceEntry default/ext}, for diagnostics
 */
public record RegistryService(String host, String namespace, List<ServicePort> ports,
                              List<ServiceEndpoint> endpoints, String source) {

    public RegistryService {
        ports = List.copyOf(ports);
        endpoints = List.copyOf(endpoints);
    }
}

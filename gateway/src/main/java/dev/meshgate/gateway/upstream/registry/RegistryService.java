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
 * @param dynamicDns ServiceEntry {@code resolution: DYNAMIC_DNS}: no endpoints; each request's host is resolved
 */
public record RegistryService(String host, String namespace, List<ServicePort> ports,
                              List<ServiceEndpoint> endpoints, String source, boolean dynamicDns) {

    public RegistryService {
        ports = List.copyOf(ports);
        endpoints = List.copyOf(endpoints);
    }

    public RegistryService(String host, String namespace, List<ServicePort> ports, List<ServiceEndpoint> endpoints,
                           String source) {
        this(host, namespace, ports, endpoints, source, false);
    }
}

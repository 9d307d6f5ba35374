package dev.meshgate.config.model.security;

import dev.meshgate.config.model.Copies;
import java.util.List;

/**
 * Request operation conditions; fields are ANDed, values within a field ORed.
 *
 * @param hosts case-insensitive
 * @param ports strings, as in Istio
 * @param paths matched on the normalized path without query; path templates {@code {*}} / {@code {**}} [1.22+]
 */
public record Operation(
        List<String> hosts,
        List<String> notHosts,
        List<String> ports,
        List<String> notPorts,
        List<String> methods,
        List<String> notMethods,
        List<String> paths,
        List<String> notPaths) {

    public Operation {
        hosts = Copies.list(hosts);
        notHosts = Copies.list(notHosts);
        ports = Copies.list(ports);
        notPorts = Copies.list(notPorts);
        methods = Copies.list(methods);
        notMethods = Copies.list(notMethods);
        paths = Copies.list(paths);
        notPaths = Copies.list(notPaths);
    }
}

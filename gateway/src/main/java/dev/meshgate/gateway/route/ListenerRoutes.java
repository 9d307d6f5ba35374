package dev.meshgate.gateway.route;

import java.util.List;

/**
 * Everything one listener needs: the merged servers' protocol and the route table ({@code http.<port>}).
 *
 * @param protocol upper-cased Gateway port protocol of the servers (HTTP, HTTP2, GRPC, GRPC-WEB)
 * @param servers  {@code ns/gateway/portName} of the servers merged here, for diagnostics
 */
public record ListenerRoutes(ListenerKey key, String protocol, VirtualHostTable hosts, List<String> servers) {

    public ListenerRoutes {
        servers = List.copyOf(servers);
    }
}

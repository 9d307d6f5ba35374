package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.List;

/**
 * One listener of a Gateway.
 *
 * @param port            REQUIRED
 * @param bind            IP or {@code unix://} path to bind; null binds the wildcard address
 * @param hosts           REQUIRED, {@code [namespace/]dnsName} entries
 * @param tls             null for plain servers
 * @param defaultEndpoint not implemented by Istio (hidden field); accepted only so configs load
 * @param name            optional, unique server name (stats prefix)
 */
public record Server(Port port, String bind, List<String> hosts, ServerTLSSettings tls, String defaultEndpoint,
                     String name) {

    public Server {
        hosts = Copies.list(hosts);
    }
}

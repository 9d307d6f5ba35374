package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.List;
import java.util.Map;

/**
 * Spec of {@code networking.istio.io} Gateway.
 *
 * @param servers  the listeners
 * @param selector labels of the proxy workloads that run this gateway; empty selects every workload
 */
public record Gateway(List<Server> servers, Map<String, String> selector) {

    public Gateway {
        servers = Copies.list(servers);
        selector = Copies.map(selector);
    }
}

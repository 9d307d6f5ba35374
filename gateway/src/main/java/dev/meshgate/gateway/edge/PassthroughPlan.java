package dev.meshgate.gateway.edge;

import dev.meshgate.gateway.route.ListenerKey;
import dev.meshgate.gateway.tls.SniMatcher;

import java.util.List;

/**
 * A listener of PASSTHROUGH servers: SNI (exact, longest wildcard, {@code *}) to the route of the VirtualService
 * {@code tls:} match that claimed it first, as Envoy matches filter chains on {@code server_names}.
 *
 * @param hosts every SNI pattern routed, in the order they were claimed (diagnostics)
 */
public record PassthroughPlan(ListenerKey key, SniMatcher<SniRoute> routes, List<String> hosts) {

    public PassthroughPlan {
        hosts = List.copyOf(hosts);
    }
}

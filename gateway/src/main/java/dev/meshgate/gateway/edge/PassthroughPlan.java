package dev.meshgate.gateway.edge;

import dev.meshgate.gateway.route.ListenerKey;
import dev.meshgate.gateway.tls.SniMatcher;
import io.vertx.core.net.SocketAddress;

import java.util.List;

/**
 * A listener of PASSTHROUGH servers: SNI (exact, longest wildcard, {@code *}) to the route of the VirtualService
 * {@code tls:} match that claimed it first, as Envoy matches filter chains on {@code server_names}. Match blocks
 * with {@code destinationSubnets} are {@code conditional}: tried per connection, in order, before the SNI table
 * (a block whose SNI an earlier unconditional block already claimed is left out at compile time).
 *
 * @param hosts every SNI pattern routed, in the order they were claimed (diagnostics)
 */
public record PassthroughPlan(ListenerKey key, SniMatcher<SniRoute> routes, List<String> hosts,
                              List<Conditional> conditional) {

    /** One block with destinationSubnets: its SNI patterns and the per-connection part. */
    public record Conditional(SniMatcher<Boolean> sni, L4Candidate match) {
    }

    public PassthroughPlan {
        hosts = List.copyOf(hosts);
        conditional = List.copyOf(conditional);
    }

    public PassthroughPlan(ListenerKey key, SniMatcher<SniRoute> routes, List<String> hosts) {
        this(key, routes, hosts, List.of());
    }

    /** The route for a connection with this SNI (already defaulted), or null. */
    SniRoute select(String sni, SocketAddress local, SocketAddress remote) {
        if (!conditional.isEmpty() && sni != null) {
            byte[] l = local == null ? null : Cidr.literal(local.hostAddress());
            byte[] r = remote == null ? null : Cidr.literal(remote.hostAddress());
            for (Conditional c : conditional) {
                if (c.sni().lookup(sni) != null && c.match().matches(l, r)) {
                    return c.match().route();
                }
            }
        }
        return sni == null ? null : routes.lookup(sni);
    }
}

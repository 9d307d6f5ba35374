package dev.meshgate.gateway.edge;

import dev.meshgate.gateway.route.ListenerKey;
import io.vertx.core.net.SocketAddress;

import java.util.List;

/**
 * A plain {@code protocol: TCP} Gateway port: the VirtualService {@code tcp:} routes that apply to it. Most ports
 * have one unconditional route ({@code route}); match blocks with {@code destinationSubnets}/{@code sourceSubnet}
 * ahead of it are {@code candidates}, tried per connection in Istio order. Nothing selected: the connection is
 * closed (Envoy NR).
 *
 * @param routeName  {@code tcp.<port>.<portName>.<gateway>.<namespace>}, for logs
 * @param route      the first unconditional route, or null
 * @param candidates the conditional routes before {@code route}, in order
 */
public record TcpPortPlan(ListenerKey key, String routeName, String where, SniRoute route,
                          List<L4Candidate> candidates) {

    public TcpPortPlan {
        candidates = List.copyOf(candidates);
    }

    public TcpPortPlan(ListenerKey key, String routeName, String where, SniRoute route) {
        this(key, routeName, where, route, List.of());
    }

    /** Whether any connection can be routed. */
    public boolean routes() {
        return route != null || !candidates.isEmpty();
    }

    /** The route for a connection from {@code remote} to {@code local}, or null. */
    SniRoute select(SocketAddress local, SocketAddress remote) {
        return L4Candidate.select(candidates, route, local, remote);
    }
}

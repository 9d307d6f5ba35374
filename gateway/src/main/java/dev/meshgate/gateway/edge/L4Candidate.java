package dev.meshgate.gateway.edge;

import io.vertx.core.net.SocketAddress;

import java.util.List;

/**
 * One VirtualService {@code tcp:}/{@code tls:} match block whose connection-level conditions are decided per
 * connection (Envoy filter-chain match): {@code destinationSubnets} against the address the client connected to,
 * {@code sourceSubnet} against the client's address. Everything else about the block was decided at compile time.
 *
 * @param destinationSubnets any of these must contain the local address; empty: any
 * @param sourceSubnet       must contain the remote address; null: any
 */
record L4Candidate(List<Cidr> destinationSubnets, Cidr sourceSubnet, SniRoute route) {

    L4Candidate {
        destinationSubnets = List.copyOf(destinationSubnets);
    }

    /**
     * The first candidate, in Istio order, that matches this connection; {@code fallback} (the first unconditional
     * route after them, possibly null) when none does.
     */
    static SniRoute select(List<L4Candidate> candidates, SniRoute fallback, SocketAddress local,
                           SocketAddress remote) {
        if (candidates.isEmpty()) {
            return fallback;
        }
        byte[] l = local == null ? null : Cidr.literal(local.hostAddress());
        byte[] r = remote == null ? null : Cidr.literal(remote.hostAddress());
        for (L4Candidate c : candidates) {
            if (c.matches(l, r)) {
                return c.route;
            }
        }
        return fallback;
    }

    boolean matches(byte[] local, byte[] remote) {
        if (sourceSubnet != null && !sourceSubnet.contains(remote)) {
            return false;
        }
        if (destinationSubnets.isEmpty()) {
            return true;
        }
        for (Cidr c : destinationSubnets) {
            if (c.contains(local)) {
                return true;
            }
        }
        return false;
    }
}

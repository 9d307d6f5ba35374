package dev.meshgate.gateway.edge;

import dev.meshgate.gateway.route.ListenerKey;

/**
 * A plain {@code protocol: TCP} Gateway port: the VirtualService {@code tcp:} route chosen for it at compile time,
 * or null when none applies (connections are then closed, Envoy NR).
 *
 * @param routeName {@code tcp.<port>.<portName>.<gateway>.<namespace>}, for logs
 */
public record TcpPortPlan(ListenerKey key, String routeName, String where, SniRoute route) {
}

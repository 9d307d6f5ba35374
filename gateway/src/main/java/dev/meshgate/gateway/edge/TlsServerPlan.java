package dev.meshgate.gateway.edge;

import dev.meshgate.gateway.route.VirtualHostTable;
import dev.meshgate.gateway.tls.ClientCertPins;
import dev.meshgate.gateway.tls.TlsMode;

import java.util.List;

/**
 * One terminating Gateway server after compilation.
 *
 * @param routeName Istio's name for its route table, {@code https.<port>.<portName>.<gateway>.<namespace>}
 * @param server    {@code namespace/gateway spec.servers[i]}, for messages
 * @param hosts     SNI host patterns (server hosts without their namespace part), lower case
 * @param routes    the server's own route table (HTTPS servers)
 * @param tcpRoute  where terminated connections go (TLS servers: the first VirtualService {@code tcp:} route that
 *                  applies); null for HTTPS servers, or when no route applies (connections are then closed)
 * @param tcpCandidates the conditional ({@code destinationSubnets}/{@code sourceSubnet}) tcp routes tried per
 *                  connection before {@code tcpRoute}, in order
 */
public record TlsServerPlan(String routeName, String server, List<String> hosts, TlsMode mode,
                            CredentialSpec credential, ClientCertPins pins, VirtualHostTable routes,
                            SniRoute tcpRoute, List<L4Candidate> tcpCandidates) {

    public TlsServerPlan {
        hosts = List.copyOf(hosts);
        tcpCandidates = List.copyOf(tcpCandidates);
    }

    public TlsServerPlan(String routeName, String server, List<String> hosts, TlsMode mode,
                         CredentialSpec credential, ClientCertPins pins, VirtualHostTable routes, SniRoute tcpRoute) {
        this(routeName, server, hosts, mode, credential, pins, routes, tcpRoute, List.of());
    }
}

package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.List;
import java.util.Map;

/**
 * L4 connection match of a TCP route.
 *
 * @param port         0 = any
 * @param sourceSubnet hidden in Istio
 */
public record L4MatchAttributes(
        List<String> destinationSubnets,
        int port,
        String sourceSubnet,
        Map<String, String> sourceLabels,
        List<String> gateways,
        String sourceNamespace) {

    public L4MatchAttributes {
        destinationSubnets = Copies.list(destinationSubnets);
        sourceLabels = Copies.map(sourceLabels);
        gateways = Copies.list(gateways);
    }
}

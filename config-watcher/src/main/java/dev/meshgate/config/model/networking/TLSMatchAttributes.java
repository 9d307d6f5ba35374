package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.List;
import java.util.Map;

/**
 * TLS connection match of a TLS route.
 *
 * @param sniHosts REQUIRED; a left-most wildcard is allowed
 * @param port     0 = any
 */
public record TLSMatchAttributes(
        List<String> sniHosts,
        List<String> destinationSubnets,
        int port,
        Map<String, String> sourceLabels,
        List<String> gateways,
        String sourceNamespace) {

    public TLSMatchAttributes {
        sniHosts = Copies.list(sniHosts);
        destinationSubnets = Copies.list(destinationSubnets);
        sourceLabels = Copies.map(sourceLabels);
        gateways = Copies.list(gateways);
    }
}

package dev.meshgate.gateway.upstream;

import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.route.ForwardAction;
import dev.meshgate.gateway.route.WeightedDestination;

/**
 * The boundary between routing and upstreams. Routing has matched a route, applied rewrites and request header
 * ops to the {@link Exchange}, and picked {@code destination} by weight. The forwarder resolves the cluster and an
 * endpoint, sends the request (streaming the body, replaying it for retries), applies timeouts, retries and mirrors,
 * streams the response back with the exchange's response header ops, and always ends the downstream response:
 * with the upstream's answer, or with Istio's local reply (503 NC/UH/UF/UC/UO, 504 UT) and the matching flag.
 * Called on the request's event loop; never blocks.
 */
public interface Forwarder {

    void forward(Exchange exchange, ForwardAction action, WeightedDestination destination);
}

package dev.meshgate.gateway.route;

import dev.meshgate.gateway.exchange.HeaderOps;

/**
 * One HTTPRouteDestination after compilation.
 *
 * @param weight            relative weight (> 0; zero-weight destinations are dropped at compile time)
 * @param requestOps        the destination's own request header ops (they run after the route's)
 * @param responseOps       the destination's own response header ops (they run after the route's)
 * @param authorityRewrite  authority from the destination's headers; applies only if the route did not set one; may be null
 */
public record WeightedDestination(ClusterKey cluster, int weight, HeaderOps requestOps, HeaderOps responseOps,
                                  String authorityRewrite) {
}

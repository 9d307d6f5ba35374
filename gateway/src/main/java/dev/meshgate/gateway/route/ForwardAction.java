package dev.meshgate.gateway.route;

import java.time.Duration;
import java.util.List;

/**
 * What a matched {@code route:} asks of the upstream side once routing is done.
 *
 * @param destinations weighted destinations, at least one
 * @param timeout      route timeout (504 UT); null = none, Istio's default
 * @param retries      the route's policy, or {@link RetryPolicy#ISTIO_DEFAULT} when the route set none
 * @param mirrors      shadow targets, possibly empty
 */
public record ForwardAction(List<WeightedDestination> destinations, Duration timeout, RetryPolicy retries,
                            List<MirrorPolicy> mirrors) {

    public ForwardAction {
        destinations = List.copyOf(destinations);
        mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
        retries = retries == null ? RetryPolicy.ISTIO_DEFAULT : retries;
    }
}

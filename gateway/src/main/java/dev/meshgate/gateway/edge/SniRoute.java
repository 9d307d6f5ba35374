package dev.meshgate.gateway.edge;

import dev.meshgate.gateway.route.ClusterKey;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One VirtualService {@code tls:} route match on a passthrough port: weighted L4 destinations, one pick per
 * connection.
 *
 * @param name {@code namespace/vs spec.tls[i]}, for logs
 */
public record SniRoute(String name, List<Destination> destinations) {

    public record Destination(ClusterKey cluster, int weight) {
    }

    public SniRoute {
        destinations = List.copyOf(destinations);
    }

    /** A destination drawn by weight. */
    public Destination pick() {
        if (destinations.size() == 1) {
            return destinations.get(0);
        }
        long total = 0;
        for (Destination d : destinations) {
            total += d.weight();
        }
        long r = ThreadLocalRandom.current().nextLong(total);
        for (Destination d : destinations) {
            r -= d.weight();
            if (r < 0) {
                return d;
            }
        }
        return destinations.get(destinations.size() - 1);
    }
}

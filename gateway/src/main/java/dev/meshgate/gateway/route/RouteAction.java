package dev.meshgate.gateway.route;

import io.vertx.core.buffer.Buffer;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** What a matched route does: forward upstream, redirect, or answer directly. */
public sealed interface RouteAction {

    /** {@code route:}; the destination is picked per request by relative weight. */
    record Forward(ForwardAction action, int[] cumulativeWeights) implements RouteAction {

        public static Forward of(ForwardAction action) {
            List<WeightedDestination> ds = action.destinations();
            int[] cum = new int[ds.size()];
            int sum = 0;
            for (int i = 0; i < cum.length; i++) {
                // a single destination takes all traffic whatever its weight
                sum += ds.size() == 1 ? 1 : ds.get(i).weight();
                cum[i] = sum;
            }
            return new Forward(action, cum);
        }

        public WeightedDestination pick() {
            List<WeightedDestination> ds = action.destinations();
            if (cumulativeWeights.length == 1) {
                return ds.get(0);
            }
            int r = ThreadLocalRandom.current().nextInt(cumulativeWeights[cumulativeWeights.length - 1]);
            for (int i = 0; i < cumulativeWeights.length; i++) {
                if (r < cumulativeWeights[i]) {
                    return ds.get(i);
                }
            }
            return ds.get(ds.size() - 1);
        }
    }

    /**
     * HTTPRedirect. Null fields keep the request's value; the query string is always kept.
     *
     * @param portMode what to do with the port of the resulting authority
     * @param port     for {@link PortMode#EXPLICIT}; FROM_REQUEST_PORT compiles to EXPLICIT with the listener's
     *                 service port, as Istio does
     */
    record Redirect(String uri, String authority, PortMode portMode, int port, String scheme, int code)
            implements RouteAction {
    }

    enum PortMode {
        /** No port field: the authority's port stays, except a scheme change drops :80/:443. */
        KEEP,
        /** {@code port} or {@code derivePort: FROM_REQUEST_PORT}. */
        EXPLICIT,
        /** {@code derivePort: FROM_PROTOCOL_DEFAULT}: no port in Location (80/443 implied). */
        PROTOCOL_DEFAULT
    }

    /** HTTPDirectResponse; the body may be null. */
    record DirectResponse(int status, Buffer body) implements RouteAction {
    }
}

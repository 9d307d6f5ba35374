package dev.meshgate.gateway.route;

import java.util.List;

/**
 * One hostname's routes on one listener, in match order (first match wins).
 *
 * @param domain     the lower-cased hostname, {@code *.suffix} or {@code *}
 * @param requireTls set by {@code tls.httpsRedirect}: plain-text requests get a 301 to https
 * @param index      path index over the routes, so a 1000-route host does not cost 1000 checks per request
 */
public record VirtualHost(String domain, List<CompiledRoute> routes, boolean requireTls, RouteIndex index) {

    public VirtualHost(String domain, List<CompiledRoute> routes, boolean requireTls) {
        this(domain, routes, requireTls, null);
    }

    /** The index is always rebuilt from the routes (any index passed in is ignored). */
    public VirtualHost {
        routes = List.copyOf(routes);
        index = new RouteIndex(routes);
    }

    /** The first route that matches, as an ordered scan finds it, through the {@link RouteIndex}. */
    public CompiledRoute match(RequestFacts r) {
        return index.match(r);
    }
}

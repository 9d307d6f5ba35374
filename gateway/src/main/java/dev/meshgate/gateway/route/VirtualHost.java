package dev.meshgate.gateway.route;

import java.util.List;

/**
 * One hostname's routes on one listener, in match order (first match wins).
 *
 * @param domain     the lower-cased hostname, {@code *.suffix} or {@code *}
 * @param requireTls set by {@code tls.httpsRedirect}: plain-text requests get a 301 to https
 */
public record VirtualHost(String domain, List<CompiledRoute> routes, boolean requireTls) {

    public VirtualHost {
        routes = List.copyOf(routes);
    }

    public CompiledRoute match(RequestFacts r) {
        for (CompiledRoute route : routes) {
            if (route.matcher().matches(r)) {
                return route;
            }
        }
        return null;
    }
}

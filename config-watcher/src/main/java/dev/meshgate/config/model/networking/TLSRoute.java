package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.List;

/**
 * A route for non-terminated TLS traffic, matched on SNI.
 *
 * @param match REQUIRED
 */
public record TLSRoute(List<TLSMatchAttributes> match, List<RouteDestination> route) {

    public TLSRoute {
        match = Copies.list(match);
        route = Copies.list(route);
    }
}

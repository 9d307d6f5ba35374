package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.List;

/** A route for opaque TCP traffic. */
public record TCPRoute(List<L4MatchAttributes> match, List<RouteDestination> route) {

    public TCPRoute {
        match = Copies.list(match);
        route = Copies.list(route);
    }
}

package dev.meshgate.gateway.route;

import java.util.List;
import java.util.Map;

/**
 * The compiled, immutable routing view of one ConfigSnapshot: the listeners to open and their route tables.
 * Built once per snapshot; request handlers read it through a single volatile reference.
 *
 * @param notes compile-time findings (skipped servers, dropped routes), for logs and the admin API
 */
public record RouteConfig(long version, Map<ListenerKey, ListenerRoutes> listeners, List<String> notes) {

    public static final RouteConfig EMPTY = new RouteConfig(0, Map.of(), List.of());

    public RouteConfig {
        listeners = Map.copyOf(listeners);
        notes = List.copyOf(notes);
    }
}

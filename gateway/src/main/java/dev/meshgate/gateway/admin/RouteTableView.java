package dev.meshgate.gateway.admin;

import dev.meshgate.admin.views.RoutesView;
import dev.meshgate.gateway.route.CompiledRoute;
import dev.meshgate.gateway.route.ListenerRoutes;
import dev.meshgate.gateway.route.RouteConfig;
import dev.meshgate.gateway.route.VirtualHost;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /routes}: the route tables in force, per listener and virtual host, each host's routes in match
 * order (first match wins), read from the same immutable {@link RouteConfig} the request handlers use.
 */
public final class RouteTableView implements RoutesView {

    private final Supplier<RouteConfig> routes;

    public RouteTableView(Supplier<RouteConfig> routes) {
        this.routes = routes;
    }

    @Override
    public Future<JsonObject> render() {
        RouteConfig config = routes.get();
        JsonArray listeners = new JsonArray();
        for (ListenerRoutes l : sorted(config)) {
            JsonArray hosts = new JsonArray();
            List<VirtualHost> vhosts = new ArrayList<>(l.hosts().all());
            vhosts.sort(Comparator.comparing(VirtualHost::domain));
            for (VirtualHost vh : vhosts) {
                JsonArray rs = new JsonArray();
                int i = 0;
                for (CompiledRoute r : vh.routes()) {
                    rs.add(RouteJson.route(r, i++));
                }
                hosts.add(new JsonObject().put("host", vh.domain()).put("requireTls", vh.requireTls()).put("routes", rs));
            }
            listeners.add(new JsonObject().put("name", ListenerTableView.name(l.key()))
                    .put("port", l.key().port()).put("protocol", l.protocol())
                    .put("servers", new JsonArray(new ArrayList<>(l.servers()))).put("hosts", hosts));
        }
        return Future.succeededFuture(new JsonObject().put("version", config.version())
                .put("listeners", listeners).put("notes", new JsonArray(new ArrayList<>(config.notes()))));
    }

    static List<ListenerRoutes> sorted(RouteConfig config) {
        List<ListenerRoutes> out = new ArrayList<>(config.listeners().values());
        out.sort(Comparator.comparingInt((ListenerRoutes l) -> l.key().port())
                .thenComparing(l -> String.valueOf(l.key().bind())));
        return out;
    }
}

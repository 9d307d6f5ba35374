package dev.meshgate.gateway.admin;

import dev.meshgate.admin.views.ListenersView;
import dev.meshgate.gateway.route.ListenerKey;
import dev.meshgate.gateway.route.ListenerRoutes;
import dev.meshgate.gateway.route.RouteConfig;
import dev.meshgate.gateway.route.VirtualHost;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /listeners}: each listener the config asks for, the Gateway servers merged into it, its hosts, and
 * the local port it is bound to ({@code boundPort} null when binding failed or is still in progress).
 */
public final class ListenerTableView implements ListenersView {

    private final Supplier<RouteConfig> routes;
    private final Supplier<Map<ListenerKey, Integer>> boundPorts;
    private final String defaultBind;

    /** @param defaultBind the address listeners bind when a server has no {@code bind} */
    public ListenerTableView(Supplier<RouteConfig> routes, Supplier<Map<ListenerKey, Integer>> boundPorts,
                             String defaultBind) {
        this.routes = routes;
        this.boundPorts = boundPorts;
        this.defaultBind = defaultBind;
    }

    /** Envoy's listener name: {@code address_port}. */
    static String name(ListenerKey k) {
        return (k.bind() == null ? "0.0.0.0" : k.bind()) + "_" + k.port();
    }

    @Override
    public Future<JsonObject> render() {
        RouteConfig config = routes.get();
        Map<ListenerKey, Integer> ports = boundPorts.get();
        JsonArray out = new JsonArray();
        for (ListenerRoutes l : RouteTableView.sorted(config)) {
            List<String> hosts = new ArrayList<>();
            for (VirtualHost vh : l.hosts().all()) {
                hosts.add(vh.domain());
            }
            hosts.sort(null);
            ListenerKey k = l.key();
            out.add(new JsonObject().put("name", name(k))
                    .put("address", k.bind() == null ? defaultBind : k.bind())
                    .put("port", k.port())
                    .put("boundPort", ports.get(k))
                    .put("protocol", l.protocol())
                    .put("gateways", new JsonArray(new ArrayList<>(l.servers())))
                    .put("hosts", new JsonArray(hosts)));
        }
        return Future.succeededFuture(new JsonObject().put("version", config.version()).put("listeners", out));
    }
}

package dev.meshgate.gateway.admin;

import dev.meshgate.admin.views.ListenersView;
import dev.meshgate.gateway.edge.EdgeStatus;
import dev.meshgate.gateway.route.ListenerKey;
import dev.meshgate.gateway.route.ListenerRoutes;
import dev.meshgate.gateway.route.RouteConfig;
import dev.meshgate.gateway.route.VirtualHost;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /listeners}: each listener the config asks for, the Gateway servers merged into it, its hosts, and
 * the local port it is bound to ({@code boundPort} null when binding failed or is still in progress). Plain HTTP
 * listeners come from the route config; HTTPS, TLS (terminated or PASSTHROUGH) and TCP ports from the edge status.
 * {@code kind} is {@code http}, {@code terminate}, {@code passthrough} or {@code tcp}.
 */
public final class ListenerTableView implements ListenersView {

    private final Supplier<RouteConfig> routes;
    private final Supplier<Map<ListenerKey, Integer>> boundPorts;
    private final String defaultBind;
    private final Supplier<EdgeStatus> edge;

    /** @param defaultBind the address listeners bind when a server has no {@code bind} */
    public ListenerTableView(Supplier<RouteConfig> routes, Supplier<Map<ListenerKey, Integer>> boundPorts,
                             String defaultBind) {
        this(routes, boundPorts, defaultBind, () -> null);
    }

    /** @param edge the TLS/TCP listeners ({@code EdgeRuntime.status()}); it may supply null (no edge yet) */
    public ListenerTableView(Supplier<RouteConfig> routes, Supplier<Map<ListenerKey, Integer>> boundPorts,
                             String defaultBind, Supplier<EdgeStatus> edge) {
        this.routes = routes;
        this.boundPorts = boundPorts;
        this.defaultBind = defaultBind;
        this.edge = edge;
    }

    /** Envoy's listener name: {@code address_port}. */
    static String name(ListenerKey k) {
        return (k.bind() == null ? "0.0.0.0" : k.bind()) + "_" + k.port();
    }

    @Override
    public Future<JsonObject> render() {
        RouteConfig config = routes.get();
        Map<ListenerKey, Integer> ports = boundPorts.get();
        List<JsonObject> all = new ArrayList<>();
        for (ListenerRoutes l : RouteTableView.sorted(config)) {
            List<String> hosts = new ArrayList<>();
            for (VirtualHost vh : l.hosts().all()) {
                hosts.add(vh.domain());
            }
            hosts.sort(null);
            ListenerKey k = l.key();
            all.add(new JsonObject().put("name", name(k))
                    .put("address", k.bind() == null ? defaultBind : k.bind())
                    .put("port", k.port())
                    .put("boundPort", ports.get(k))
                    .put("protocol", l.protocol())
                    .put("kind", "http")
                    .put("gateways", new JsonArray(new ArrayList<>(l.servers())))
                    .put("hosts", new JsonArray(hosts)));
        }
        EdgeStatus st = edge.get();
        if (st != null) {
            for (EdgeStatus.Listener l : st.listeners()) {
                ListenerKey k = l.key();
                if (k == null) {
                    continue;
                }
                all.add(new JsonObject().put("name", name(k))
                        .put("address", k.bind() == null ? defaultBind : k.bind())
                        .put("port", k.port())
                        .put("boundPort", l.port() < 0 ? null : l.port())
                        .put("protocol", l.protocol())
                        .put("kind", l.kind())
                        .put("gateways", new JsonArray(new ArrayList<>(l.gateways())))
                        .put("hosts", new JsonArray(new ArrayList<>(l.hosts())))
                        .put("servers", new JsonArray(new ArrayList<>(l.servers()))));
            }
        }
        all.sort(Comparator.comparingInt((JsonObject o) -> o.getInteger("port"))
                .thenComparing(o -> o.getString("name")));
        JsonArray out = new JsonArray(new ArrayList<>(all));
        return Future.succeededFuture(new JsonObject().put("version", config.version()).put("listeners", out));
    }
}

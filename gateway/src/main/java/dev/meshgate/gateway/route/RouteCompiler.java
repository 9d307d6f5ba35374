package dev.meshgate.gateway.route;

import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.networking.Gateway;
import dev.meshgate.config.model.networking.HTTPMatchRequest;
import dev.meshgate.config.model.networking.HTTPRoute;
import dev.meshgate.config.model.networking.Protocol;
import dev.meshgate.config.model.networking.Server;
import dev.meshgate.config.model.networking.VirtualService;
import dev.meshgate.config.snapshot.ConfigSnapshot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a ConfigSnapshot into the listeners and route tables of this gateway instance, as istiod builds an
 * ingress gateway's listeners and RDS (pilot gateway.go buildGatewayHTTPRouteConfig, route.go):
 * <ol>
 * <li>Gateways whose selector is a subset of the instance labels (any namespace) apply; their plain-text HTTP
 * servers are merged per (bind, port) into one listener with one route table.</li>
 * <li>VirtualServices bind to a gateway when it is named in {@code gateways} or a match-level {@code gateways}
 * and they are exported to the instance namespace; order: private, exported, public, each by creation time, then
 * name, then namespace.</li>
 * <li>For every server, each bound VirtualService's hosts are intersected with the server hosts of the
 * VirtualService's namespace; every resulting hostname is one virtual host, routes concatenated in VS order;
 * catch-all routes then move to the end.</li>
 * </ol>
 */
public final class RouteCompiler {

    private final Map<String, String> instanceLabels;
    private final String instanceNamespace;
    private final List<String> notes = new ArrayList<>();

    private RouteCompiler(Map<String, String> instanceLabels, String instanceNamespace) {
        this.instanceLabels = instanceLabels;
        this.instanceNamespace = instanceNamespace;
    }

    public static RouteConfig compile(ConfigSnapshot snapshot, Map<String, String> instanceLabels,
                                      String instanceNamespace) {
        return new RouteCompiler(instanceLabels, instanceNamespace).run(snapshot);
    }

    /** Creation time (missing = earliest, like Go's zero time), then name, then namespace. */
    static final Comparator<Resource<?>> CREATION_ORDER = Comparator
            .comparing((Resource<?> r) -> r.metadata().creationTimestamp() == null ? Instant.MIN
                    : r.metadata().creationTimestamp())
            .thenComparing(r -> nullToEmpty(r.name()))
            .thenComparing(r -> nullToEmpty(r.namespace()));

    private record BoundServer(String gatewayName, String gatewayNamespace, Server server) {
    }

    private record VsEntry(Resource<VirtualService> vs, int visibility, Set<String> gateways) {
    }

    private RouteConfig run(ConfigSnapshot snapshot) {
        Map<ListenerKey, List<BoundServer>> byListener = new LinkedHashMap<>();
        Map<ListenerKey, String> protocols = new HashMap<>();
        List<Resource<Gateway>> gateways = new ArrayList<>(snapshot.all(Gateway.class));
        gateways.sort(CREATION_ORDER);
        for (Resource<Gateway> gw : gateways) {
            if (!selects(gw.spec().selector())) {
                continue;
            }
            String gwName = gw.namespace() + "/" + gw.name();
            int i = 0;
            for (Server s : gw.spec().servers()) {
                String where = gw.displayName() + " spec.servers[" + i++ + "]";
                if (s.port() == null) {
                    continue;
                }
                Protocol p = s.port().protocol();
                if (p != null && (p.isTls() || p == Protocol.TCP)) {
                    continue; // HTTPS, TLS and TCP servers: dev.meshgate.gateway.edge compiles them
                }
                if (p == null || !p.isHttp()) {
                    notes.add(where + ": protocol " + p + " on port " + s.port().number()
                            + " is not served by the HTTP listeners (TLS servers come with TLS termination)");
                    continue;
                }
                String bind = s.bind() == null || s.bind().isEmpty() ? null : s.bind();
                if (bind != null && bind.startsWith("unix://")) {
                    notes.add(where + ": unix domain socket bind is not supported; server skipped");
                    continue;
                }
                ListenerKey key = new ListenerKey(bind, s.port().number());
                protocols.putIfAbsent(key, p.name().replace('_', '-'));
                byListener.computeIfAbsent(key, k -> new ArrayList<>())
                        .add(new BoundServer(gwName, gw.namespace(), s));
            }
        }
        List<VsEntry> vss = virtualServices(snapshot);
        Map<ListenerKey, ListenerRoutes> out = new LinkedHashMap<>();
        for (Map.Entry<ListenerKey, List<BoundServer>> e : byListener.entrySet()) {
            out.put(e.getKey(), buildListener(e.getKey(), protocols.get(e.getKey()), e.getValue(), vss));
        }
        return new RouteConfig(snapshot.version(), out, notes);
    }

    /**
     * One terminating server's own route table, as Istio gives every HTTPS server one
     * ({@code https.<port>.<portName>.<gwName>.<ns>}): the VirtualServices bound to its gateway, intersected with
     * its hosts only. Used by the TLS edge (dev.meshgate.gateway.edge).
     *
     * @param gatewayName {@code namespace/name} of the server's Gateway
     * @param notes       receives compile-time findings
     */
    public static VirtualHostTable compileServer(ConfigSnapshot snapshot, Map<String, String> instanceLabels,
                                                 String instanceNamespace, ListenerKey key, String gatewayName,
                                                 String gatewayNamespace, Server server, List<String> notes) {
        RouteCompiler c = new RouteCompiler(instanceLabels, instanceNamespace);
        ListenerRoutes lr = c.buildListener(key, "HTTPS", List.of(new BoundServer(gatewayName, gatewayNamespace,
                server)), c.virtualServices(snapshot));
        notes.addAll(c.notes);
        return lr.hosts();
    }

    /**
     * The VirtualServices visible to this instance in Istio's merge order (private to the instance namespace,
     * exported to it, public; each by creation time, name, namespace).
     */
    public static List<Resource<VirtualService>> orderedVirtualServices(ConfigSnapshot snapshot,
                                                                        String instanceNamespace) {
        return new RouteCompiler(Map.of(), instanceNamespace).virtualServices(snapshot).stream()
                .map(VsEntry::vs).toList();
    }

    /** Gateways sorted by creation time, then name, then namespace (how Istio merges them). */
    public static List<Resource<Gateway>> orderedGateways(ConfigSnapshot snapshot) {
        List<Resource<Gateway>> gateways = new ArrayList<>(snapshot.all(Gateway.class));
        gateways.sort(CREATION_ORDER);
        return gateways;
    }

    /** Whether a Gateway selector picks this instance (a subset of its labels; empty selects every instance). */
    public static boolean selects(Map<String, String> selector, Map<String, String> instanceLabels) {
        return new RouteCompiler(instanceLabels, null).selects(selector);
    }

    private boolean selects(Map<String, String> selector) {
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(instanceLabels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private List<VsEntry> virtualServices(ConfigSnapshot snapshot) {
        List<VsEntry> out = new ArrayList<>();
        for (Resource<VirtualService> vs : snapshot.all(VirtualService.class)) {
            int vis = visibility(vs);
            if (vis < 0) {
                continue;
            }
            Set<String> gws = new HashSet<>();
            for (String g : vs.spec().gatewaysOrDefault()) {
                gws.add(HostNames.resolveGatewayName(g, vs.namespace()));
            }
            for (HTTPRoute h : vs.spec().http()) {
                for (HTTPMatchRequest m : h.match()) {
                    for (String g : m.gateways()) {
                        gws.add(HostNames.resolveGatewayName(g, vs.namespace()));
                    }
                }
            }
            out.add(new VsEntry(vs, vis, gws));
        }
        out.sort(Comparator.comparingInt(VsEntry::visibility).thenComparing(VsEntry::vs, CREATION_ORDER));
        return out;
    }

    /** 0 private to the instance namespace, 1 exported to it, 2 public, -1 not visible. */
    private int visibility(Resource<VirtualService> vs) {
        List<String> exportTo = vs.spec().exportTo();
        if (exportTo.isEmpty() || exportTo.contains("*")) {
            return 2;
        }
        Set<String> ns = new HashSet<>();
        for (String e : exportTo) {
            ns.add(e.equals(".") ? vs.namespace() : e);
        }
        if (!ns.contains(instanceNamespace)) {
            return -1;
        }
        return exportTo.size() == 1 && exportTo.get(0).equals(".") ? 0 : 1;
    }

    private ListenerRoutes buildListener(ListenerKey key, String protocol, List<BoundServer> servers,
                                         List<VsEntry> vss) {
        Map<String, List<CompiledRoute>> vhosts = new LinkedHashMap<>();
        Set<String> requireTls = new HashSet<>();
        Set<String> seen = new HashSet<>();
        Map<String, List<CompiledRoute>> compiledCache = new HashMap<>();
        List<String> serverNames = new ArrayList<>();
        for (BoundServer bs : servers) {
            Server s = bs.server();
            serverNames.add(bs.gatewayName() + "/" + (s.port().name() == null ? "" : s.port().name()));
            boolean httpsRedirect = s.tls() != null && s.tls().httpsRedirect();
            Set<String> produced = new LinkedHashSet<>();
            for (VsEntry v : vss) {
                if (!v.gateways().contains(bs.gatewayName())) {
                    continue;
                }
                Resource<VirtualService> vs = v.vs();
                List<String> serverHosts = serverHostsFor(s, bs.gatewayNamespace(), vs.namespace());
                List<String> vsHosts = new ArrayList<>();
                for (String h : vs.spec().hosts()) {
                    vsHosts.add(HostNames.resolveShortName(h, vs.namespace()));
                }
                List<String> hosts = HostNames.intersection(serverHosts, vsHosts);
                if (hosts.isEmpty()) {
                    continue;
                }
                String cacheKey = vs.namespace() + "/" + vs.name() + "|" + bs.gatewayName();
                List<CompiledRoute> routes = compiledCache.computeIfAbsent(cacheKey,
                        k -> routesFor(vs, bs.gatewayName(), key.port()));
                for (String h : hosts) {
                    produced.add(h);
                    if (!seen.add(h + "|" + cacheKey)) {
                        continue;
                    }
                    vhosts.computeIfAbsent(h, x -> new ArrayList<>()).addAll(routes);
                }
            }
            if (httpsRedirect) {
                requireTls.addAll(produced);
                for (String h : serverHostsFor(s, bs.gatewayNamespace(), null)) {
                    vhosts.computeIfAbsent(h, x -> new ArrayList<>());
                    requireTls.add(h);
                }
            }
        }
        List<VirtualHost> list = new ArrayList<>();
        for (Map.Entry<String, List<CompiledRoute>> e : vhosts.entrySet()) {
            list.add(new VirtualHost(e.getKey(), catchAllLast(e.getValue()), requireTls.contains(e.getKey())));
        }
        return new ListenerRoutes(key, protocol, new VirtualHostTable(list), serverNames);
    }

    /**
     * The server's hosts that a VirtualService in {@code vsNamespace} may use ({@code ns/host}: {@code *} any,
     * {@code .} the Gateway's namespace); null namespace = all of them.
     */
    private static List<String> serverHostsFor(Server s, String gatewayNamespace, String vsNamespace) {
        List<String> out = new ArrayList<>();
        for (String h : s.hosts()) {
            int slash = h.indexOf('/');
            String ns = slash < 0 ? "*" : h.substring(0, slash);
            String name = (slash < 0 ? h : h.substring(slash + 1)).toLowerCase(Locale.ROOT);
            if (ns.equals(".")) {
                ns = gatewayNamespace;
            }
            if (vsNamespace == null || ns.equals("*") || ns.equals(vsNamespace)) {
                if (!out.contains(name)) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    /**
     * route.go BuildHTTPRoutesForVirtualService: every (route, match) pair in order; matches ruled out for this
     * gateway (match-level gateways, sourceLabels/sourceNamespace against the instance, port) are dropped; a
     * catch-all ends the VirtualService.
     */
    private List<CompiledRoute> routesFor(Resource<VirtualService> vs, String gatewayName, int port) {
        List<CompiledRoute> out = new ArrayList<>();
        int i = 0;
        outer:
        for (HTTPRoute http : vs.spec().http()) {
            String where = vs.displayName() + " spec.http[" + i++ + "]";
            HttpRouteTranslator t = new HttpRouteTranslator(vs.namespace(), port, notes::add, where);
            if (http.match().isEmpty()) {
                CompiledRoute r = t.translate(http, null);
                if (r != null) {
                    out.add(r);
                }
                break;
            }
            for (HTTPMatchRequest m : http.match()) {
                if (!sourceMatches(m, gatewayName, vs.namespace())) {
                    continue;
                }
                if (m.port() != 0 && m.port() != port) {
                    continue;
                }
                CompiledRoute r = t.translate(http, m);
                if (r != null) {
                    out.add(r);
                    if (r.catchAll()) {
                        break outer;
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /** route.go sourceMatchHTTP, with this instance as the proxy. */
    private boolean sourceMatches(HTTPMatchRequest m, String gatewayName, String vsNamespace) {
        if (!m.gateways().isEmpty()) {
            for (String g : m.gateways()) {
                if (HostNames.resolveGatewayName(g, vsNamespace).equals(gatewayName)) {
                    return true;
                }
            }
            return false;
        }
        if (!selectsLabels(m.sourceLabels())) {
            return false;
        }
        return m.sourceNamespace() == null || m.sourceNamespace().isEmpty()
                || m.sourceNamespace().equals(instanceNamespace);
    }

    private boolean selectsLabels(Map<String, String> labels) {
        return selects(labels);
    }

    /** Istio SortVHostRoutes: catch-all routes move to the end, relative order kept. */
    static List<CompiledRoute> catchAllLast(List<CompiledRoute> routes) {
        List<CompiledRoute> out = new ArrayList<>(routes.size());
        List<CompiledRoute> tail = new ArrayList<>();
        for (CompiledRoute r : routes) {
            (r.catchAll() ? tail : out).add(r);
        }
        out.addAll(tail);
        return out;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

package dev.meshgate.gateway.edge;

import dev.meshgate.cert.CredentialSource;
import dev.meshgate.gateway.listener.RouteScope;
import dev.meshgate.gateway.observe.ConnectionTelemetry;
import dev.meshgate.gateway.route.ListenerKey;
import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.tls.ServerTlsConfig;
import dev.meshgate.gateway.tls.ServerTlsFactory;
import dev.meshgate.gateway.tls.SniServer;
import dev.meshgate.gateway.tls.UnmatchedSni;
import dev.meshgate.gateway.upstream.cluster.ClusterTable;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The TLS listeners of a gateway instance: terminating ports ({@link TlsPort}) and passthrough ports
 * ({@link PassthroughListener}), reconciled on every snapshot: unchanged ports keep their sockets and get the new
 * plan, new ports open, removed ports close. Not thread-safe: the gateway runtime calls it from its serialized
 * apply chain.
 */
public final class EdgeRuntime {

    private static final Logger LOG = Logger.getLogger(EdgeRuntime.class.getName());
    /** Istio's default upstream connect timeout; each connect uses its cluster's connectTimeout. */
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private final Vertx vertx;
    private final EdgeOptions options;
    private final EdgeCredentials credentials;
    private final ServerTlsFactory factory;
    private final Supplier<ClusterTable> clusters;
    private final BiFunction<ListenerKey, RouteScope, Handler<HttpServerRequest>> handlers;
    private final EdgeCounters counters = new EdgeCounters();
    // concurrent: status and ports are read from other threads (admin API, tests)
    private final Map<ListenerKey, TlsPort> tlsPorts = new ConcurrentHashMap<>();
    private final Map<ListenerKey, PassthroughListener> passthrough = new ConcurrentHashMap<>();
    private final Map<ListenerKey, PassthroughPlan> passthroughPlans = new ConcurrentHashMap<>();
    private final Map<ListenerKey, TcpListener> tcp = new ConcurrentHashMap<>();
    private NetClient client;
    private L4Proxy proxy;
    private volatile ConnectionTelemetry telemetry = ConnectionTelemetry.NONE;

    /**
     * @param namedSource where credentialName is resolved; null: the options' credentials directory, if any
     * @param clusters    the upstream clusters in force (passthrough destinations)
     * @param handlers    makes the request handler of a terminating port, given its per-request route scope
     */
    public EdgeRuntime(Vertx vertx, EdgeOptions options, CredentialSource namedSource, Supplier<ClusterTable> clusters,
                       BiFunction<ListenerKey, RouteScope, Handler<HttpServerRequest>> handlers) {
        this.vertx = vertx;
        this.options = options;
        this.credentials = new EdgeCredentials(vertx, options, namedSource);
        this.factory = ServerTlsFactory.withDetectedEngine();
        this.clusters = clusters;
        this.handlers = handlers;
        if (!factory.engine().nativeEngine()) {
            LOG.severe("TLS listeners run on the JDK engine, not BoringSSL: " + factory.engine().fallbackReason());
        }
    }

    /** Opens, updates and closes TLS listeners to match {@code plan}; fails naming the listeners that could not bind. */
    public Future<Void> apply(EdgePlan plan, GatewayOptions gw) {
        for (String n : plan.notes()) {
            LOG.info(n);
        }
        List<Future<?>> stops = new ArrayList<>();
        for (ListenerKey k : new ArrayList<>(tlsPorts.keySet())) {
            if (!plan.terminating().containsKey(k)) {
                stops.add(tlsPorts.remove(k).stop());
            }
        }
        for (ListenerKey k : new ArrayList<>(passthrough.keySet())) {
            if (!plan.passthrough().containsKey(k)) {
                passthroughPlans.remove(k);
                stops.add(passthrough.remove(k).stop());
            }
        }
        for (ListenerKey k : new ArrayList<>(tcp.keySet())) {
            if (!plan.tcp().containsKey(k)) {
                stops.add(tcp.remove(k).stop());
            }
        }
        UnmatchedSni unmatched = options.defaultSni() == null ? UnmatchedSni.REFUSE
                : UnmatchedSni.serveAs(options.defaultSni());
        return Future.join(stops).transform(x -> {
            List<Future<?>> work = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            plan.terminating().forEach((k, p) -> {
                String host = k.bind() != null ? k.bind() : gw.bindHost();
                int localPort = gw.localPort(k.port());
                TlsPort port = tlsPorts.computeIfAbsent(k, key -> new TlsPort(vertx, key, host, localPort,
                        gw.eventLoops(), credentials, factory, unmatched, counters, handlers, this::proxy));
                work.add(port.update(p).onFailure(e -> errors.add("TLS listener " + k + " on " + host + ":"
                        + localPort + ": " + e.getMessage())));
            });
            plan.passthrough().forEach((k, p) -> {
                passthroughPlans.put(k, p);
                PassthroughListener l = passthrough.get(k);
                if (l != null) {
                    l.update(p);
                    return;
                }
                String host = k.bind() != null ? k.bind() : gw.bindHost();
                int localPort = gw.localPort(k.port());
                work.add(PassthroughListener.start(vertx, p, host, localPort, gw.eventLoops(), proxy(),
                                options.defaultSni(), options.clientHelloTimeout(), counters)
                        .onSuccess(pl -> {
                            passthrough.put(k, pl);
                            LOG.info("passthrough listener " + k + " on port " + pl.actualPort() + " routes SNI "
                                    + p.hosts());
                        })
                        .onFailure(e -> errors.add("passthrough listener " + k + " on " + host + ":" + localPort
                                + ": " + e.getMessage())));
            });
            plan.tcp().forEach((k, p) -> {
                TcpListener l = tcp.get(k);
                if (l != null) {
                    l.update(p);
                    return;
                }
                String host = k.bind() != null ? k.bind() : gw.bindHost();
                int localPort = gw.localPort(k.port());
                work.add(TcpListener.start(vertx, p, host, localPort, gw.eventLoops(), proxy(), counters)
                        .onSuccess(tl -> {
                            tcp.put(k, tl);
                            LOG.info("tcp listener " + k + " on port " + tl.actualPort() + " routes by "
                                    + (p.route() == null ? "nothing (connections closed)" : p.route().name())
                                    + (p.candidates().isEmpty() ? "" : " after " + p.candidates().size()
                                            + " subnet match(es)"));
                        })
                        .onFailure(e -> errors.add("tcp listener " + k + " on " + host + ":" + localPort + ": "
                                + e.getMessage())));
            });
            return Future.join(work).transform(y -> errors.isEmpty() ? Future.succeededFuture()
                    : Future.failedFuture(String.join("; ", errors)));
        });
    }

    private L4Proxy proxy() {
        if (proxy == null) {
            client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS));
            proxy = new L4Proxy(vertx, clusters, client, counters, () -> telemetry);
        }
        return proxy;
    }

    /** Where TCP, passthrough and TLS-to-TCP connections report (istio_tcp_* and the access log). */
    public EdgeRuntime telemetry(ConnectionTelemetry t) {
        this.telemetry = t == null ? ConnectionTelemetry.NONE : t;
        return this;
    }

    /** The credential sources TLS listeners load from: Gateway files, and credentialName's source if any. */
    public List<CredentialSource> credentialSources() {
        return credentials.sources();
    }

    /** Local ports of the bound TLS listeners. */
    public Map<ListenerKey, Integer> boundPorts() {
        Map<ListenerKey, Integer> out = new HashMap<>();
        tlsPorts.forEach((k, p) -> {
            if (p.actualPort() >= 0) {
                out.put(k, p.actualPort());
            }
        });
        passthrough.forEach((k, l) -> out.put(k, l.actualPort()));
        tcp.forEach((k, l) -> out.put(k, l.actualPort()));
        return out;
    }

    /** Re-reads credential files now and waits until every port has applied the result (tests, admin). */
    public Future<Void> reloadCredentials() {
        return credentials.pollNow().compose(x -> settled());
    }

    /** Completes when every pending TLS reconfiguration is done. */
    public Future<Void> settled() {
        List<Future<Void>> all = new ArrayList<>();
        tlsPorts.values().forEach(p -> all.add(p.settled()));
        return Future.join(all).mapEmpty();
    }

    public EdgeStatus status() {
        List<EdgeStatus.Listener> listeners = new ArrayList<>();
        tlsPorts.forEach((k, p) -> {
            List<String> servers = new ArrayList<>();
            ServerTlsConfig c = p.config();
            if (c != null) {
                for (SniServer s : c.settings().servers()) {
                    servers.add(String.join(",", s.hosts()) + " " + s.mode() + " " + s.credential().name()
                            + " serial " + s.credential().serialHex());
                }
            }
            TlsPortPlan plan = p.plan();
            List<String> gateways = new ArrayList<>();
            java.util.TreeSet<String> hosts = new java.util.TreeSet<>();
            if (plan != null) {
                for (TlsServerPlan s : plan.servers()) {
                    gateways.add(s.server());
                    hosts.addAll(s.hosts());
                }
            }
            listeners.add(new EdgeStatus.Listener(k.toString(), "terminate", p.actualPort(), servers, k,
                    plan == null ? null : plan.tcp() ? "TLS" : "HTTPS", gateways, new ArrayList<>(hosts)));
        });
        passthrough.forEach((k, l) -> {
            PassthroughPlan p = passthroughPlans.get(k);
            List<String> sni = p == null ? List.of() : p.hosts();
            listeners.add(new EdgeStatus.Listener(k.toString(), "passthrough", l.actualPort(), sni, k, "TLS",
                    List.of(), sni.stream().sorted().toList()));
        });
        tcp.forEach((k, l) -> {
            TcpPortPlan p = l.plan();
            SniRoute r = p.route();
            listeners.add(new EdgeStatus.Listener(k.toString(), "tcp", l.actualPort(),
                    r == null ? List.of() : List.of(r.name()), k, "TCP",
                    p.where() == null ? List.of() : List.of(p.where()), List.of()));
        });
        return new EdgeStatus(factory.engine(), listeners,
                credentials.inventory().stream().map(EdgeStatus.Credential::of).toList(), counters);
    }

    public Future<Void> stop() {
        List<Future<Void>> all = new ArrayList<>();
        tlsPorts.values().forEach(p -> all.add(p.stop()));
        passthrough.values().forEach(l -> all.add(l.stop()));
        tcp.values().forEach(l -> all.add(l.stop()));
        tcp.clear();
        tlsPorts.clear();
        passthrough.clear();
        passthroughPlans.clear();
        credentials.close();
        NetClient c = client;
        client = null;
        proxy = null;
        return Future.join(all).transform(x -> c == null ? Future.succeededFuture() : c.close());
    }
}

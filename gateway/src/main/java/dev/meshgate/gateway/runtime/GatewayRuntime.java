package dev.meshgate.gateway.runtime;

import dev.meshgate.cert.CredentialSource;
import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.gateway.edge.EdgeCompiler;
import dev.meshgate.gateway.edge.EdgeOptions;
import dev.meshgate.gateway.edge.EdgePlan;
import dev.meshgate.gateway.edge.EdgeRuntime;
import dev.meshgate.gateway.upstream.cluster.ClusterTable;
import dev.meshgate.gateway.listener.HttpListener;
import dev.meshgate.gateway.listener.RequestHandler;
import dev.meshgate.gateway.observe.ConnectionTelemetry;
import dev.meshgate.gateway.observe.ExchangeTracker;
import dev.meshgate.gateway.route.ListenerKey;
import dev.meshgate.gateway.route.RouteCompiler;
import dev.meshgate.gateway.route.RouteConfig;
import dev.meshgate.gateway.upstream.Forwarder;
import dev.meshgate.gateway.upstream.UpstreamManager;
import dev.meshgate.gateway.upstream.UpstreamOptions;
import dev.meshgate.gateway.upstream.lb.Locality;
import dev.meshgate.gateway.upstream.lb.ProxyLocality;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The ingress data plane of one instance: compiles each snapshot into route tables, hands it to the upstream
 * side first, then swaps the route tables (one volatile write) and reconciles listeners: unchanged ports keep
 * their sockets, new ports open, removed ports close. Applies are serialized; requests in flight finish on the
 * tables they started with.
 */
public final class GatewayRuntime {

    private static final Logger LOG = Logger.getLogger(GatewayRuntime.class.getName());

    private final Vertx vertx;
    private final Forwarder forwarder;
    private final Consumer<ConfigSnapshot> upstreamApply;
    private final Supplier<Future<Void>> upstreamClose;
    private volatile RouteConfig routes = RouteConfig.EMPTY;
    /** Touched only inside the serialized apply chain. */
    private final Map<ListenerKey, HttpListener> listeners = new HashMap<>();
    private volatile Map<ListenerKey, Integer> boundPorts = Map.of();
    private GatewayOptions options;
    private Future<Void> chain = Future.succeededFuture();
    private final Supplier<ClusterTable> clusters;
    private EdgeOptions edgeOptions = EdgeOptions.defaults();
    private CredentialSource credentialSource;
    private volatile EdgeRuntime edge;
    /** Sees every exchange (metrics, access log, drain); null: nothing observes. */
    private ExchangeTracker tracker;
    /** Sees every layer-4 connection (istio_tcp_* and the access log). */
    private ConnectionTelemetry connectionTelemetry = ConnectionTelemetry.NONE;

    /** With the real upstream side. */
    public GatewayRuntime(Vertx vertx) {
        this(vertx, new UpstreamManager(vertx));
    }

    public GatewayRuntime(Vertx vertx, UpstreamManager upstreams) {
        this(vertx, upstreams, upstreams::apply, upstreams::close);
    }

    /** With the real upstream side, looking up DestinationRules from the instance namespace. */
    public static GatewayRuntime create(Vertx vertx, GatewayOptions options) {
        return create(vertx, options, null);
    }

    /**
     * @param credentialsDir where DestinationRule tls.credentialName is resolved (the --credentials-dir), or null.
     *                       An instance labelled {@code istio=egressgateway} refuses unregistered hosts with 502.
     */
    public static GatewayRuntime create(Vertx vertx, GatewayOptions options, java.nio.file.Path credentialsDir) {
        return create(vertx, options, credentialsDir, null);
    }

    /** @param dnsServer {@code host:port} of the resolver for ServiceEntry DNS names, or null (see UpstreamOptions) */
    public static GatewayRuntime create(Vertx vertx, GatewayOptions options, java.nio.file.Path credentialsDir,
                                        String dnsServer) {
        return create(vertx, options, credentialsDir, dnsServer, null);
    }

    /** @param dnsRefreshRate how often DNS names are resolved again (MeshConfig dnsRefreshRate); null = 60s */
    public static GatewayRuntime create(Vertx vertx, GatewayOptions options, java.nio.file.Path credentialsDir,
                                        String dnsServer, java.time.Duration dnsRefreshRate) {
        boolean egress = "egressgateway".equals(options.labels().get("istio"));
        UpstreamOptions upstream = new UpstreamOptions(options.gatewayNamespace(), null, null, credentialsDir, egress)
                .withLocality(new ProxyLocality(Locality.parse(options.locality()), options.labels()));
        if (dnsServer != null) {
            upstream = upstream.withDns(dnsServer, dnsRefreshRate);
        }
        return new GatewayRuntime(vertx, new UpstreamManager(vertx, upstream));
    }

    /** With any forwarder (tests, tools). */
    public GatewayRuntime(Vertx vertx, Forwarder forwarder, Consumer<ConfigSnapshot> upstreamApply,
                          Supplier<Future<Void>> upstreamClose) {
        this.vertx = vertx;
        this.forwarder = forwarder;
        this.upstreamApply = upstreamApply;
        this.upstreamClose = upstreamClose;
        this.clusters = forwarder instanceof UpstreamManager u ? u::clusters : () -> ClusterTable.EMPTY;
    }

    /** TLS edge options (credentials directory, default SNI); call before {@link #start}. */
    public synchronized GatewayRuntime edgeOptions(EdgeOptions o) {
        this.edgeOptions = o;
        return this;
    }

    /** Where {@code credentialName} is resolved (e.g. Kubernetes Secrets); call before {@link #start}. */
    public synchronized GatewayRuntime credentialSource(CredentialSource source) {
        this.credentialSource = source;
        if (source != null && forwarder instanceof UpstreamManager u) {
            // TLS origination's credentialName reads the same Secrets as the edge's (Istio: gateway's namespace)
            u.originationSource(source);
        }
        return this;
    }

    /** Who observes every exchange (metrics, access log, in-flight count); call before {@link #start}. */
    public synchronized GatewayRuntime observe(ExchangeTracker t) {
        this.tracker = t;
        return this;
    }

    /** Who observes TCP/TLS-route connections (istio_tcp_* metrics, access log); call before {@link #start}. */
    public synchronized GatewayRuntime observeConnections(ConnectionTelemetry t) {
        this.connectionTelemetry = t;
        return this;
    }

    /** The TLS edge: engine, TLS listeners, credentials, counters; null before {@link #start}. */
    public EdgeRuntime edge() {
        return edge;
    }

    public synchronized Future<Void> start(GatewayOptions options) {
        this.options = options;
        this.edge = new EdgeRuntime(vertx, edgeOptions, credentialSource, clusters,
                (k, scope) -> new RequestHandler(vertx, k, this::routeConfig, () -> forwarder,
                        options.acceptHttp10(), scope, tracker)).telemetry(connectionTelemetry);
        return Future.succeededFuture();
    }

    /**
     * Applies a snapshot. Fails when a listener could not bind (the route tables are still swapped and every
     * other listener serves).
     */
    public synchronized Future<Void> apply(ConfigSnapshot snapshot) {
        if (options == null) {
            return Future.failedFuture(new IllegalStateException("start() first"));
        }
        Promise<Void> done = Promise.promise();
        chain = chain.transform(ignored -> {
            Future<Void> f;
            try {
                f = doApply(snapshot);
            } catch (RuntimeException e) {
                f = Future.failedFuture(e);
            }
            f.onComplete(done);
            return f.transform(x -> Future.succeededFuture());
        });
        return done.future();
    }

    private Future<Void> doApply(ConfigSnapshot snapshot) {
        RouteConfig compiled = RouteCompiler.compile(snapshot, options.labels(), options.gatewayNamespace());
        for (String note : compiled.notes()) {
            LOG.info(note);
        }
        upstreamApply.accept(snapshot);
        routes = compiled;
        Set<ListenerKey> wanted = new HashSet<>(compiled.listeners().keySet());
        List<Future<?>> work = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (ListenerKey k : new ArrayList<>(listeners.keySet())) {
            if (!wanted.contains(k)) {
                HttpListener l = listeners.remove(k);
                work.add(l.stop());
            }
        }
        for (ListenerKey k : wanted) {
            if (listeners.containsKey(k)) {
                continue;
            }
            String host = k.bind() != null ? k.bind() : options.bindHost();
            int localPort = options.localPort(k.port());
            Future<HttpListener> f = HttpListener.start(vertx, k, host, localPort, options.eventLoops(),
                    () -> new RequestHandler(vertx, k, this::routeConfig, () -> forwarder, options.acceptHttp10(),
                            null, tracker));
            work.add(f.onSuccess(l -> listeners.put(k, l))
                    .onFailure(e -> errors.add("listener " + k + " on " + host + ":" + localPort + ": "
                            + e.getMessage())));
        }
        EdgePlan edgePlan = EdgeCompiler.compile(snapshot, options.labels(), options.gatewayNamespace(),
                compiled.listeners().keySet());
        return Future.join(work).transform(x -> edge.apply(edgePlan, options)
                .recover(e -> {
                    errors.add(e.getMessage());
                    return Future.succeededFuture();
                })).transform(x -> {
            Map<ListenerKey, Integer> ports = new HashMap<>();
            listeners.forEach((k, l) -> ports.put(k, l.actualPort()));
            ports.putAll(edge.boundPorts());
            boundPorts = Map.copyOf(ports);
            if (!errors.isEmpty()) {
                errors.forEach(LOG::warning);
                return Future.failedFuture(String.join("; ", errors));
            }
            return Future.succeededFuture();
        });
    }

    /** Where matched routes are forwarded; an {@link UpstreamManager} in {@code meshgate run} (for {@code /clusters}). */
    public Forwarder forwarder() {
        return forwarder;
    }

    /** The route tables in force. */
    public RouteConfig routeConfig() {
        return routes;
    }

    /** The local port the listener for a Gateway service port is bound to (any bind), or -1. */
    public int localPort(int servicePort) {
        for (Map.Entry<ListenerKey, Integer> e : boundPorts.entrySet()) {
            if (e.getKey().port() == servicePort) {
                return e.getValue();
            }
        }
        EdgeRuntime tls = edge;
        if (tls != null) {
            // a TLS listener binds late when its first credential loads after the snapshot was applied
            for (Map.Entry<ListenerKey, Integer> e : tls.boundPorts().entrySet()) {
                if (e.getKey().port() == servicePort) {
                    return e.getValue();
                }
            }
        }
        return -1;
    }

    public Map<ListenerKey, Integer> boundPorts() {
        return boundPorts;
    }

    /** Closes every listener, then the upstream side. */
    public synchronized Future<Void> stop() {
        Promise<Void> done = Promise.promise();
        chain = chain.transform(ignored -> {
            List<Future<Void>> all = new ArrayList<>();
            for (HttpListener l : listeners.values()) {
                all.add(l.stop());
            }
            listeners.clear();
            if (edge != null) {
                all.add(edge.stop());
            }
            boundPorts = Map.of();
            routes = RouteConfig.EMPTY;
            Future<Void> f = Future.join(all).transform(x -> upstreamClose.get());
            f.onComplete(done);
            return f.transform(x -> Future.succeededFuture());
        });
        return done.future();
    }
}

package dev.meshgate.cli;

import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.gateway.edge.EdgeMetrics;
import dev.meshgate.gateway.edge.EdgeOptions;
import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.observe.Observability;
import dev.meshgate.gateway.upstream.UpstreamManager;
import io.vertx.core.Future;

import java.util.logging.Level;
import java.util.logging.Logger;

/** The ingress data plane as a part of {@code meshgate run}: every applied snapshot goes to the runtime. */
final class GatewayConsumer implements SnapshotConsumer {

    /** Istio's root namespace, where mesh-wide Telemetry lives. */
    private static final String ROOT_NAMESPACE = "istio-system";
    private static final Logger LOG = Logger.getLogger(GatewayConsumer.class.getName());

    private final GatewayOptions options;
    private final EdgeOptions edge;
    private volatile GatewayRuntime runtime;
    /** TLS engine, refused connections and certificate expiry; the expiry gauge is re-read this often. */
    private static final long EDGE_METRICS_REFRESH_MS = 10_000;
    private EdgeMetrics edgeMetrics;

    private final java.util.function.Consumer<dev.meshgate.cert.CredentialSource> credentialSources;
    /** Metrics, access log, readiness; null when nothing observes. */
    private final Observability observability;
    /** Where credentialName is resolved instead of the credentials directory (run --kubernetes: Secrets). */
    private java.util.function.Function<io.vertx.core.Vertx, dev.meshgate.cert.CredentialSource> namedCredentials;

    GatewayConsumer(GatewayOptions options) {
        this(options, EdgeOptions.defaults(), s -> { });
    }

    /** @param credentialSources told about the TLS listeners' credential sources (for {@code /certs}) */
    GatewayConsumer(GatewayOptions options, EdgeOptions edge,
                    java.util.function.Consumer<dev.meshgate.cert.CredentialSource> credentialSources) {
        this(options, edge, credentialSources, null);
    }

    /** @param observability sees every exchange and each applied snapshot (readiness); may be null */
    GatewayConsumer(GatewayOptions options, EdgeOptions edge,
                    java.util.function.Consumer<dev.meshgate.cert.CredentialSource> credentialSources,
                    Observability observability) {
        this.observability = observability;
        this.options = options;
        this.edge = edge;
        this.credentialSources = credentialSources;
    }

    /** null: names are resolved at connect time. */
    private String dnsServer;
    /** null: MeshConfig's default dnsRefreshRate (60s). */
    private java.time.Duration dnsRefreshRate;
    /** null: no forward proxy. */
    private Integer forwardProxyPort;
    private String forwardProxyBind = "127.0.0.1";
    private volatile dev.meshgate.gateway.egress.ForwardProxy forwardProxy;
    private volatile int forwardProxyActualPort = -1;

    /** Resolve ServiceEntry DNS names with {@code dnsServer} ({@code host:port}, or null); call before start. */
    GatewayConsumer dnsServer(String dnsServer) {
        this.dnsServer = dnsServer;
        return this;
    }

    /** How often DNS names are resolved again (null: 60s); call before start. */
    GatewayConsumer dnsRefreshRate(java.time.Duration rate) {
        this.dnsRefreshRate = rate;
        return this;
    }

    /** Start the registry-only forward proxy on {@code bind:port} (port null: off, 0: any); call before start. */
    GatewayConsumer forwardProxy(String bind, Integer port) {
        this.forwardProxyBind = bind;
        this.forwardProxyPort = port;
        return this;
    }

    /** The forward proxy's bound port; -1 when off or not started. */
    int forwardProxyPort() {
        return forwardProxyActualPort;
    }

    /** Resolve credentialName with the source this makes (given the process' Vert.x); call before start. */
    GatewayConsumer namedCredentials(
            java.util.function.Function<io.vertx.core.Vertx, dev.meshgate.cert.CredentialSource> factory) {
        this.namedCredentials = factory;
        return this;
    }

    @Override
    public Future<?> start(RunContext context) {
        runtime = GatewayRuntime.create(context.vertx(), options, edge.credentialsDir(), dnsServer, dnsRefreshRate)
                .edgeOptions(edge);
        if (observability != null) {
            runtime.observe(observability.tracker());
            runtime.observeConnections(observability.connections());
        }
        if (namedCredentials != null) {
            runtime.credentialSource(namedCredentials.apply(context.vertx()));
        }
        return runtime.start(options).onSuccess(x -> {
            runtime.edge().credentialSources().forEach(credentialSources);
            if (observability != null) {
                edgeMetrics = EdgeMetrics.bindTo(observability.registry(), context.vertx(), runtime.edge(),
                        EDGE_METRICS_REFRESH_MS);
            }
        }).compose(x -> startForwardProxy(context));
    }

    private Future<?> startForwardProxy(RunContext context) {
        if (forwardProxyPort == null) {
            return Future.succeededFuture();
        }
        if (!(runtime.forwarder() instanceof UpstreamManager upstreams)) {
            return Future.failedFuture("--forward-proxy-port: the data plane has no upstream manager");
        }
        var proxy = new dev.meshgate.gateway.egress.ForwardProxy(context.vertx(), upstreams);
        forwardProxy = proxy;
        return proxy.listen(forwardProxyBind, forwardProxyPort)
                .onSuccess(p -> {
                    forwardProxyActualPort = p;
                    LOG.info("forward proxy listening on " + forwardProxyBind + ":" + p
                            + " (ServiceEntry hosts only)");
                })
                .recover(e -> Future.failedFuture("--forward-proxy-port: cannot listen on " + forwardProxyBind + ":"
                        + forwardProxyPort + ": " + e.getMessage()));
    }

    @Override
    public void onSnapshot(ConfigSnapshot current, ConfigSnapshot previous) {
        if (observability != null) {
            observability.onSnapshot(current, options.labels(), options.gatewayNamespace(), ROOT_NAMESPACE);
        }
        runtime.apply(current)
                .onSuccess(v -> LOG.info("gateway: snapshot " + current.version() + " serving on "
                        + runtime.boundPorts()))
                .onFailure(e -> LOG.log(Level.WARNING, "gateway: snapshot " + current.version() + ": "
                        + e.getMessage()))
                .onComplete(ar -> {
                    if (observability != null) {
                        // ready only once a snapshot is applied and every listener is bound
                        observability.applied(current.version(), ar.succeeded());
                        if (runtime.forwarder() instanceof UpstreamManager u) {
                            observability.upstreamMetrics().update(u.clusters());
                        }
                    }
                });
    }

    /** The data plane, null before {@link #start} (for the admin API's views). */
    GatewayRuntime runtime() {
        return runtime;
    }

    @Override
    public Future<?> stop() {
        if (edgeMetrics != null) {
            edgeMetrics.close();
        }
        var proxy = forwardProxy;
        forwardProxy = null;
        forwardProxyActualPort = -1;
        Future<Void> proxyStopped = proxy == null ? Future.succeededFuture() : proxy.close();
        return proxyStopped.transform(x -> runtime == null ? Future.succeededFuture() : runtime.stop());
    }

    @Override
    public String toString() {
        return "gateway";
    }
}

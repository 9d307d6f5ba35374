package dev.meshgate.gateway.observe;

import dev.meshgate.config.snapshot.ConfigSnapshot;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Everything operators observe, built once per process and wired by the runtime/CLI: the Prometheus registry
 * (Istio metrics, JVM, Vert.x), the access log, readiness and the in-flight count, plus the stats (15090) and
 * health (15021) ports. The data plane sees only {@link #tracker()}.
 */
public final class Observability {

    private static final Logger LOG = Logger.getLogger(Observability.class.getName());

    private final ObserveOptions options;
    private final PrometheusMeterRegistry registry;
    private final IstioMetrics metrics;
    private final AccessLog accessLog;
    private final UpstreamMetrics upstreamMetrics;
    private final InFlightRequests inFlight = new InFlightRequests();
    private final HealthState health = new HealthState();
    private final ExchangeTracker tracker;
    private final ConnectionTelemetry connections;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private volatile String accessLogSource = "flags";
    private Vertx vertx;
    private StatsEndpoint stats;
    private HealthEndpoint healthEndpoint;

    private Observability(ObserveOptions options, WorkloadIdentity identity) {
        this.options = options;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.metrics = new IstioMetrics(registry, identity);
        String target = options.accessLog() == null ? "-" : options.accessLog();
        this.accessLog = new AccessLog(new AccessLogWriter(target, options.accessLogQueue()),
                options.accessLogSettings()).bindTo(registry);
        this.upstreamMetrics = new UpstreamMetrics(registry);
        // an HTTP/1.x response of the drain may take the drain's whole bound before its connection closes
        DrainingConnections draining = new DrainingConnections(health::draining,
                options.drainDuration().plus(options.maxInFlightWait()).toMillis());
        this.tracker = new ExchangeTracker(new CompositeObserver(List.of(inFlight, metrics, accessLog)), draining);
        this.connections = new ConnectionTelemetry(metrics, accessLog, inFlight);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /**
     * @param gatewayLabels    the instance's workload labels (app/version/canonical names for source_*)
     * @param gatewayNamespace fallback for source_workload_namespace when POD_NAMESPACE is unset
     */
    public static Observability create(ObserveOptions options, Map<String, String> env,
                                       Map<String, String> gatewayLabels, String gatewayNamespace) {
        WorkloadIdentity id = WorkloadIdentity.resolve(env, gatewayLabels, gatewayNamespace);
        if (options.workloadName() != null || options.workloadNamespace() != null) {
            id = new WorkloadIdentity(options.workloadName() != null ? options.workloadName() : id.workload(),
                    options.workloadNamespace() != null ? options.workloadNamespace() : id.namespace(), id.app(),
                    id.version(), id.canonicalService(), id.canonicalRevision(), id.cluster(), id.principal());
        }
        return new Observability(options, id);
    }

    /**
     * Adds Vert.x's own metrics (HTTP client pools, named worker pools, verticles) to {@code registry}; call on
     * the builder of the process's Vertx before {@code build()}. The HTTP/TCP server categories stay off: the
     * Istio metrics already count every request, and the per-request cost would be paid twice.
     */
    public static VertxBuilder configure(VertxBuilder builder, VertxOptions options, PrometheusMeterRegistry registry) {
        MicrometerMetricsOptions m = new MicrometerMetricsOptions().setEnabled(true)
                .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
                .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
                .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS);
        return builder.with(options.setMetricsOptions(m)).withMetrics(new MicrometerMetricsFactory(registry));
    }

    public ObserveOptions options() {
        return options;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** What the listener calls: {@code tracker().begin(exchange)} right after creating the exchange. */
    public ExchangeTracker tracker() {
        return tracker;
    }

    /** What the layer-4 proxy reports to (istio_tcp_* and the access log); give it to the runtime. */
    public ConnectionTelemetry connections() {
        return connections;
    }

    public IstioMetrics metrics() {
        return metrics;
    }

    /** Call {@code upstreamMetrics().update(upstreamManager.clusters())} after each applied snapshot. */
    public UpstreamMetrics upstreamMetrics() {
        return upstreamMetrics;
    }

    public AccessLog accessLog() {
        return accessLog;
    }

    public HealthState health() {
        return health;
    }

    public InFlightRequests inFlight() {
        return inFlight;
    }

    public int statsPort() {
        return stats == null ? -1 : stats.actualPort();
    }

    public int healthPort() {
        return healthEndpoint == null ? -1 : healthEndpoint.actualPort();
    }

    /** Binds the stats and health ports (those not disabled with -1). */
    public Future<Void> start(Vertx vertx) {
        this.vertx = vertx;
        List<Future<?>> all = new ArrayList<>();
        if (options.statsPort() >= 0) {
            stats = new StatsEndpoint(registry);
            all.add(stats.start(vertx, options.probeHost(), options.statsPort()));
        }
        if (options.healthPort() >= 0) {
            healthEndpoint = new HealthEndpoint(health);
            all.add(healthEndpoint.start(vertx, options.probeHost(), options.healthPort()));
        }
        return Future.all(all).mapEmpty();
    }

    /**
     * Follows a new snapshot: the access-log settings from its Telemetry resources (flags when none applies);
     * warnings are logged naming resource and field. Readiness is the runtime's call ({@link #applied}).
     */
    public void onSnapshot(ConfigSnapshot snapshot, Map<String, String> gatewayLabels, String gatewayNamespace,
                           String rootNamespace) {
        TelemetryPolicy.Resolution r = TelemetryPolicy.accessLog(snapshot, gatewayLabels, gatewayNamespace,
                rootNamespace, options.accessLogSettings());
        r.warnings().forEach(LOG::warning);
        if (!r.source().equals(accessLogSource) || !r.settings().equals(accessLog.settings())) {
            LOG.info("access log " + (r.settings().enabled() ? "on (" + r.settings().format() + ", to "
                    + accessLog.writer().target() + ")" : "off") + " from " + r.source());
        }
        accessLogSource = r.source();
        accessLog.settings(r.settings());
    }

    /** The runtime applied snapshot {@code version}; {@code allListenersBound} false when a listener failed. */
    public void applied(long version, boolean allListenersBound) {
        health.configApplied(version, allListenersBound);
    }

    /** A drain controller whose final step is {@code stop} (close listeners, upstreams, Vert.x). */
    public DrainController drainController(Vertx vertx, Supplier<Future<?>> stop) {
        return new DrainController(vertx, health, inFlight, options.drainDuration(), options.maxInFlightWait(),
                stop);
    }

    /** Closes the ports, then flushes and closes the access log on a worker thread. */
    public Future<Void> stop() {
        List<Future<?>> all = new ArrayList<>();
        if (stats != null) {
            all.add(stats.stop());
        }
        if (healthEndpoint != null) {
            all.add(healthEndpoint.stop());
        }
        Supplier<Future<Void>> close = () -> {
            if (vertx == null) {
                accessLog.close();
                gc.close();
                return Future.succeededFuture();
            }
            return vertx.executeBlocking(() -> {
                accessLog.close();
                gc.close();
                return null;
            }, false).mapEmpty();
        };
        return Future.join(all).eventually(close::get).mapEmpty();
    }
}

package dev.meshgate.cli;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.config.snapshot.InvalidConfigException;
import dev.meshgate.config.snapshot.SnapshotBuilder;
import dev.meshgate.config.snapshot.SnapshotLog;
import dev.meshgate.config.snapshot.SnapshotPublisher;
import dev.meshgate.config.source.file.FileConfigSource;
import dev.meshgate.config.source.file.FileSourceOptions;
import dev.meshgate.config.source.kubernetes.KubernetesConfigSource;
import dev.meshgate.cert.kubernetes.KubernetesSecretCredentialSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import dev.meshgate.config.store.ConfigLayers;
import dev.meshgate.config.store.InMemoryResourceStore;
import dev.meshgate.config.store.LayeredSnapshots;
import dev.meshgate.config.store.ResourceStore;
import dev.meshgate.admin.views.MembersView;
import dev.meshgate.cert.CredentialSource;
import dev.meshgate.gateway.admin.MemberTableView;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.observe.DrainController;
import dev.meshgate.gateway.observe.EventLoopLag;
import dev.meshgate.gateway.observe.Observability;
import dev.meshgate.gateway.observe.ObserveCliOptions;
import dev.meshgate.gateway.observe.ObserveOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Loads and watches the configuration and feeds every applied snapshot to the {@link #consumers()}. To add a
 * part of the gateway: add its options here and its {@link SnapshotConsumer} to {@link #consumers()}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Load the configuration, watch it for changes and serve it.",
                "An invalid configuration at start is fatal (exit 1); an invalid change later is logged and the "
                        + "last good configuration keeps serving."})
public final class RunCommand implements java.util.concurrent.Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(RunCommand.class.getName());
    private static final long STEP_TIMEOUT_SECONDS = 30;

    @Option(names = {"-c", "--config"}, arity = "1..*", paramLabel = "PATH",
            description = "Config files and directories (recursive; ConfigMap volumes work). Repeatable. "
                    + "Required unless --kubernetes is given.")
    List<Path> config = new ArrayList<>();

    @Option(names = "--debounce", paramLabel = "DURATION", defaultValue = "200ms",
            converter = DurationConverter.class,
            description = "Quiet time after a file change before reloading (default: ${DEFAULT-VALUE}).")
    Duration debounce = FileSourceOptions.DEFAULT_DEBOUNCE;

    @Mixin
    LoadOptions load = new LoadOptions();

    @Mixin
    GatewayFlags gateway = new GatewayFlags();

    @Mixin
    AdminFlags admin = new AdminFlags();

    @Mixin
    ClusterFlags cluster = new ClusterFlags();

    @Mixin
    KubernetesFlags kubernetes = new KubernetesFlags();

    @Mixin
    ObserveCliOptions observe = new ObserveCliOptions();

    @Spec
    CommandSpec spec;

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Promise<ConfigSnapshot> ready = Promise.promise();
    /** Certificate sources whose inventory {@code /certs} shows; TLS listeners add theirs. */
    private final List<CredentialSource> credentialSources = new CopyOnWriteArrayList<>();
    /** The layers (files + API/cluster store) and who reports replicas; set in call() before consumers(). */
    private ConfigLayers layers;
    private MembersView members;
    private AdminConsumer adminConsumer;
    private volatile GatewayConsumer gatewayConsumer;
    /** Metrics, access log, probes and drain; set in call() before consumers(). */
    private Observability observability;
    /** With --kubernetes: the one API client of the process (config and Secrets), and the Secret source. */
    private KubernetesClient kubeClient;
    private volatile KubernetesSecretCredentialSource secretSource;

    /** Everything that follows the configuration, started in this order and stopped in reverse. */
    List<SnapshotConsumer> consumers() {
        List<SnapshotConsumer> list = new ArrayList<>();
        list.add(SnapshotConsumer.of(new SnapshotLog()));
        GatewayConsumer gw = new GatewayConsumer(gateway.toOptions(), gateway.toEdgeOptions(),
                credentialSources::add, observability)
                .dnsServer(gateway.dnsServer())
                .dnsRefreshRate(gateway.dnsRefreshRate())
                .forwardProxy(gateway.forwardProxyBind(), gateway.forwardProxyPort());
        gatewayConsumer = gw;
        if (kubeClient != null) {
            // credentialName: Secrets of the gateway's own namespace, as in Istio
            gw.namedCredentials(vertx -> {
                KubernetesSecretCredentialSource secrets = new KubernetesSecretCredentialSource(vertx, kubeClient,
                        List.of(gateway.toOptions().gatewayNamespace()));
                secrets.start().onFailure(t -> LOG.log(Level.WARNING, "kubernetes: cannot watch Secrets in "
                        + gateway.toOptions().gatewayNamespace() + "; credentials are fetched on demand", t));
                secretSource = secrets;
                return secrets;
            });
        }
        list.add(gw);
        if (admin.enabled() && layers != null) {
            adminConsumer = new AdminConsumer(admin.toOptions(), layers, ConfigPipeline.loaderOptions(load),
                    gw::runtime, gateway.toOptions(), members, credentialSources);
            list.add(adminConsumer);
        }
        return list;
    }

    /** Where {@code /certs} looks: add a source to have its credentials listed. */
    public List<CredentialSource> credentialSources() {
        return credentialSources;
    }

    /** The admin API's bound port once started (useful with {@code --admin-port 0}); -1 when not running. */
    public int adminPort() {
        AdminConsumer a = adminConsumer;
        return a == null ? -1 : a.port();
    }

    /** The forward proxy's bound port once started (useful with {@code --forward-proxy-port 0}); -1 when off. */
    public int forwardProxyPort() {
        GatewayConsumer g = gatewayConsumer;
        return g == null ? -1 : g.forwardProxyPort();
    }

    /** The bound stats (Prometheus) port once started; -1 when disabled or not running. */
    public int statsPort() {
        Observability o = observability;
        return o == null ? -1 : o.statsPort();
    }

    /** The bound health (readiness) port once started; -1 when disabled or not running. */
    public int healthPort() {
        Observability o = observability;
        return o == null ? -1 : o.healthPort();
    }

    /** Completes when the first snapshot is serving; fails when start-up failed. For tests and embedding. */
    public Future<ConfigSnapshot> ready() {
        return ready.future();
    }

    /** Asks a running {@code run} to shut down; {@link #call()} then returns 0. */
    public void stop() {
        stop.countDown();
    }

    /** On SIGTERM: the JVM halts once hooks return, so wait (bounded) for the orderly shutdown in call(). */
    private void stopAndWait() {
        stop();
        try {
            finished.await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        GatewayOptions gatewayOptions;
        try {
            gatewayOptions = gateway.toOptions();
            gateway.dnsServer();
            gateway.dnsRefreshRate();
            gateway.forwardProxyPort();
            admin.toOptions(); // flag errors are usage errors, before anything starts
            cluster.toOptions();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (kubernetes.enabled() == !config.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), kubernetes.enabled()
                    ? "--config and --kubernetes cannot be combined (yet): choose one source"
                    : "--config or --kubernetes is required");
        }
        if (kubernetes.enabled() && cluster.enabled()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--cluster and --kubernetes cannot be combined: with --kubernetes the API server is the shared store");
        }
        ObserveOptions observeOptions;
        try {
            observeOptions = observe.toOptions();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        observability = Observability.create(observeOptions, System.getenv(), gatewayOptions.labels(),
                gatewayOptions.gatewayNamespace());
        // one event loop per listener verticle; Vert.x's client and pool metrics go to the same registry
        Vertx vertx = Observability.configure(Vertx.builder(),
                new VertxOptions().setEventLoopPoolSize(gatewayOptions.eventLoops()), observability.registry()).build();
        try {
            await(observability.start(vertx));
        } catch (ExecutionException e) {
            // Istio-era probes and scrapes expect these ports: not having them is fatal
            err.println("meshgate run: cannot bind the stats/health ports (--stats-port, --health-port; -1 disables): "
                    + e.getCause().getMessage());
            err.flush();
            ready.tryFail(e.getCause());
            await(vertx.close());
            return 1;
        }
        EventLoopLag loopLag = new EventLoopLag();
        loopLag.start(vertx, observability.registry(), gatewayOptions.eventLoops());
        SnapshotPublisher publisher = new SnapshotPublisher();
        // files are one layer, the API/cluster store another: the file source feeds the layered pipeline
        ClusterMode clustered = null;
        ResourceStore store;
        if (cluster.enabled()) {
            try {
                clustered = ClusterMode.start(cluster.toOptions(), vertx);
            } catch (RuntimeException e) {
                err.println("meshgate run: cannot join the cluster: " + e.getMessage());
                err.flush();
                ready.tryFail(e);
                await(vertx.close());
                return 1;
            }
            store = clustered.store();
            members = clustered.membersView();
            clustered.reportFrom(publisher);
        } else {
            // with --kubernetes the API server is the store: the admin API reads, but its writes are refused
            store = kubernetes.enabled() ? new KubernetesModeStore(new InMemoryResourceStore())
                    : new InMemoryResourceStore();
            members = MemberTableView.single(publisher);
        }
        layers = new ConfigLayers(store);
        kubeClient = kubernetes.enabled() ? new KubernetesClientBuilder().build() : null;
        LayeredSnapshots pipeline = kubernetes.enabled() ? null
                : new LayeredSnapshots(layers, new SnapshotBuilder(ConfigPipeline.validator()), publisher, true);
        List<SnapshotConsumer> consumers = consumers();
        List<SnapshotConsumer> started = new ArrayList<>();
        AutoCloseable source;
        java.util.function.Supplier<Future<ConfigSnapshot>> startSource;
        if (kubernetes.enabled()) {
            KubernetesConfigSource k = new KubernetesConfigSource(kubeClient, kubernetes.toOptions(),
                    ConfigPipeline.parser(load), new SnapshotBuilder(ConfigPipeline.validator()), publisher);
            source = k;
            startSource = k::start;
        } else {
            FileConfigSource f = FileConfigSource.layered(FileSourceOptions.of(config).withDebounce(debounce),
                    ConfigPipeline.parser(load), pipeline);
            source = f;
            startSource = f::start;
        }
        // SIGTERM: not ready, keep serving for the drain time, let in-flight requests finish, then stop
        DrainController drain = observability.drainController(vertx, () -> {
            stop();
            return Future.succeededFuture();
        });
        Thread hook = new Thread(() -> {
            long limit = observeOptions.drainDuration().toMillis() + observeOptions.maxInFlightWait().toMillis()
                    + 10_000;
            try {
                drain.drain().toCompletionStage().toCompletableFuture().get(limit, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warning("drain did not finish cleanly: " + e);
            }
            stopAndWait();
        }, "meshgate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        // SIGTERM drains without shutting the JVM down, so that run returns 0 once the drain is over
        Runnable restoreTerm = TermSignal.handle(drain::drain);
        try {
            RunContext context = new RunContext(vertx, publisher);
            for (SnapshotConsumer c : consumers) {
                await(c.start(context));
                started.add(c);
                publisher.subscribe(c);
            }
            ConfigSnapshot first;
            try {
                first = await(startSource.get());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof InvalidConfigException invalid) {
                    for (Diagnostic d : invalid.diagnostics()) {
                        err.println(DiagnosticOutput.line(d));
                    }
                    err.println("meshgate run: invalid configuration, not starting");
                    err.flush();
                    ready.tryFail(invalid);
                    return 1;
                }
                if (kubernetes.enabled() && e.getCause() != null) {
                    // API server unreachable, access denied, no complete list in time: say which, no stack trace
                    err.println("meshgate run: " + e.getCause().getMessage());
                    err.flush();
                    ready.tryFail(e.getCause());
                    return 1;
                }
                throw e;
            }
            ready.tryComplete(first);
            stop.await();
            return 0;
        } catch (Exception e) {
            ready.tryFail(e);
            throw e;
        } finally {
            try {
                source.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing the config source", e);
            }
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    await(started.get(i).stop());
                } catch (Exception e) {
                    LOG.log(Level.WARNING, "stopping " + started.get(i), e);
                }
            }
            if (pipeline != null) {
                pipeline.close();
            }
            loopLag.stop();
            try {
                await(observability.stop());
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing the stats/health ports and the access log", e);
            }
            if (secretSource != null) {
                secretSource.close();
            }
            if (kubeClient != null) {
                kubeClient.close();
            }
            if (clustered != null) {
                try {
                    clustered.close();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "leaving the cluster", e);
                }
            }
            try {
                await(vertx.close());
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing Vert.x", e);
            }
            finished.countDown();
            restoreTerm.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: that is why we got here
            }
        }
    }

    private static <T> T await(Future<T> f) throws ExecutionException, InterruptedException, TimeoutException {
        return f.toCompletionStage().toCompletableFuture().get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}

package dev.meshgate.config.source.kubernetes;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.snapshot.BuildResult;
import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.config.snapshot.ContentHash;
import dev.meshgate.config.snapshot.SnapshotBuilder;
import dev.meshgate.config.snapshot.SnapshotPublisher;
import dev.meshgate.config.source.file.FileParser;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Istio resources and the service registry from the Kubernetes API server, published as snapshots through the
 * same {@link SnapshotBuilder} path as the file source.
 *
 * <p>One fabric8 informer per watched kind (and per namespace when namespaces are given): the Istio kinds in the
 * version the API server serves ({@link ServedVersions}), and with the service registry on, Services,
 * EndpointSlices and Pods ({@link ServiceRegistryTranslator}). Every informer event schedules one rebuild after a
 * short coalescing delay; a rebuild reads every informer's cache, converts it ({@link IstioObjects}), validates
 * and publishes. Unchanged content publishes nothing.
 *
 * <p>Never an empty or partial config: the first snapshot is built only after every informer has listed. Later,
 * while an informer re-lists (after a dropped watch, a 410 Gone, an API-server restart; fabric8 brackets each
 * list with {@code onBeforeList}/{@code onList}), rebuilds use that informer's last complete state, taken when it
 * was last not listing, and the list's result joins at its {@code onList}. So no kind ever contributes a
 * half-applied list, and the other kinds' changes keep flowing: a gate that waited for every informer to be
 * idle at once could starve while many informers re-list in turn (a 410 storm, a kind whose list keeps failing).
 * fabric8 keeps its cache across a re-list and applies the list's additions, changes and deletions to it, so
 * the cache is never empty in between either.
 *
 * <p>Policy on bad objects, unlike the file source's all-or-nothing: an object with errors is left out and
 * reported (the publisher's status records the errors), and everything else is applied. That is what istiod
 * does, and in a cluster one team's broken VirtualService must not freeze every other team's changes. A start
 * therefore does not fail on invalid objects; it fails when the API server cannot be read (discovery, RBAC) or
 * does not answer within {@link KubernetesSourceOptions#syncTimeout()}.
 */
public final class KubernetesConfigSource implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KubernetesConfigSource.class.getName());

    private final KubernetesClient client;
    private final boolean ownsClient;
    private final KubernetesSourceOptions options;
    private final SnapshotBuilder builder;
    private final SnapshotPublisher publisher;
    private final IstioObjects istio;
    private final ServiceRegistryTranslator registry;
    private final StatusWriter statusWriter;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "meshgate-kubernetes-config");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean rebuildScheduled = new AtomicBoolean();
    private final List<Watched<GenericKubernetesResource>> istioInformers = new ArrayList<>();
    private final List<Watched<Service>> serviceInformers = new ArrayList<>();
    private final List<Watched<EndpointSlice>> sliceInformers = new ArrayList<>();
    private final List<Watched<Pod>> podInformers = new ArrayList<>();
    private final List<Watched<?>> all = new ArrayList<>();
    /**
     * Nodes (cluster-scoped), for the endpoints' region and zone: best effort, outside {@link #all}. Without RBAC on
     * nodes the source still starts, and localities fall back to the EndpointSlice zones.
     */
    private final List<Watched<Node>> nodeInformers = new ArrayList<>();
    private volatile Map<Kind, String> servedVersions = Map.of();
    private volatile boolean started;
    private volatile boolean closed;
    /** Errors of the last rebuild, so an unchanged set of broken objects is reported once, not per rebuild. */
    private List<Diagnostic> lastErrors = List.of();

    /** Uses {@code client} and leaves it open on {@link #close()}. */
    public KubernetesConfigSource(KubernetesClient client, KubernetesSourceOptions options, FileParser parser,
                                  SnapshotBuilder builder, SnapshotPublisher publisher) {
        this(client, false, options, parser, builder, publisher);
    }

    private KubernetesConfigSource(KubernetesClient client, boolean ownsClient, KubernetesSourceOptions options,
                                   FileParser parser, SnapshotBuilder builder, SnapshotPublisher publisher) {
        this.client = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
        this.options = Objects.requireNonNull(options, "options");
        this.builder = Objects.requireNonNull(builder, "builder");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.istio = new IstioObjects(Objects.requireNonNull(parser, "parser"), client.getKubernetesSerialization());
        this.registry = new ServiceRegistryTranslator(options.clusterDomain());
        this.statusWriter = options.writeStatus() ? new StatusWriter(client) : null;
    }

    /**
     * Connects the way kubectl would: in a Pod, its service account (in-cluster config); elsewhere
     * {@code $KUBECONFIG} or {@code ~/.kube/config} and its current context. The client is closed with the source.
     */
    public static KubernetesConfigSource connect(KubernetesSourceOptions options, FileParser parser,
                                                 SnapshotBuilder builder, SnapshotPublisher publisher) {
        return new KubernetesConfigSource(new KubernetesClientBuilder().build(), true, options, parser, builder,
                publisher);
    }

    public SnapshotPublisher publisher() {
        return publisher;
    }

    public KubernetesSourceOptions options() {
        return options;
    }

    /** The version watched for each Istio kind; kinds the API server does not serve are absent. */
    public Map<Kind, String> servedVersions() {
        return servedVersions;
    }

    /** True once the first snapshot is published and no informer is re-listing: what readiness should report. */
    public boolean synced() {
        return started && !closed && all.stream().noneMatch(w -> w.listing);
    }

    /** True when every informer has a watch open right now (false while any reconnects or re-lists). */
    public boolean watching() {
        return started && !closed && all.stream().allMatch(w -> w.informer.isWatching());
    }

    /**
     * Discovers the served versions, starts every informer and waits for all of them to list, then publishes the
     * first snapshot. Completes with it, or fails (API server unreachable, access denied, timeout); then nothing
     * is watched.
     */
    public synchronized Future<ConfigSnapshot> start() {
        if (started || closed || !all.isEmpty()) {
            return Future.failedFuture(new IllegalStateException("kubernetes config source already started or closed"));
        }
        Promise<ConfigSnapshot> promise = Promise.promise();
        worker.execute(() -> {
            try {
                createInformers();
            } catch (RuntimeException e) {
                stopInformers();
                promise.fail(new IllegalStateException("cannot read the Kubernetes API at "
                        + client.getMasterUrl() + ": " + e.getMessage(), e));
                return;
            }
            List<CompletableFuture<Void>> starts = new ArrayList<>();
            for (Watched<?> w : all) {
                starts.add(w.informer.start().toCompletableFuture());
            }
            for (Watched<Node> w : nodeInformers) {
                // waited for (so the first snapshot has the regions) but never fatal
                starts.add(w.informer.start().toCompletableFuture().handle((v, t) -> {
                    if (t != null) {
                        LOG.warning("kubernetes: cannot read Nodes (" + t.getMessage() + "); endpoint localities "
                                + "use the EndpointSlice zones only, without regions. Grant get, list and watch on "
                                + "nodes for Istio's region/zone/subzone");
                        w.informer.stop();
                    }
                    return null;
                }));
            }
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new))
                    .orTimeout(options.syncTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((v, t) -> worker.execute(() -> firstSnapshot(t, promise)));
        });
        return promise.future();
    }

    private void firstSnapshot(Throwable failure, Promise<ConfigSnapshot> promise) {
        if (failure != null || closed) {
            List<String> pending = all.stream().filter(w -> w.listing).map(w -> w.what).toList();
            stopInformers();
            Throwable cause = failure instanceof java.util.concurrent.CompletionException ce && ce.getCause() != null
                    ? ce.getCause() : failure;
            String why = closed ? "closed before the first sync"
                    : cause instanceof java.util.concurrent.TimeoutException
                    ? "no complete list within " + options.syncTimeout().toSeconds() + "s of " + pending
                    : String.valueOf(cause.getMessage());
            promise.fail(new IllegalStateException("kubernetes config source did not start: " + why, cause));
            return;
        }
        try {
            // Every informer's start has completed, so its cache holds the full list. Its onList may still be on
            // the way (handlers are notified asynchronously), so do not wait for the flag: a rebuild now must not
            // mistake a listed kind for one that is still listing and leave it out.
            for (Watched<?> w : all) {
                w.listing = false;
            }
            started = true;
            rebuild();
            ConfigSnapshot first = publisher.current();
            LOG.info("kubernetes config source synced from " + client.getMasterUrl() + ": watching "
                    + describeWatches() + "; config version " + first.version());
            promise.complete(first);
        } catch (RuntimeException e) {
            promise.fail(e);
        }
    }

    private void createInformers() {
        Map<Kind, String> versions = ServedVersions.discover(client, options.kinds());
        servedVersions = Collections.unmodifiableMap(versions);
        for (Kind k : options.kinds()) {
            if (!versions.containsKey(k)) {
                LOG.warning("kubernetes: " + k.group() + " " + k.kind() + " is not served by the API server (Istio "
                        + "CRDs not installed?); not watched, and not noticed if installed later (restart then)");
            }
        }
        for (Map.Entry<Kind, String> e : versions.entrySet()) {
            Kind k = e.getKey();
            ResourceDefinitionContext ctx = new ResourceDefinitionContext.Builder()
                    .withGroup(k.group()).withVersion(e.getValue()).withKind(k.kind()).withPlural(k.plural())
                    .withNamespaced(true).build();
            var op = client.genericKubernetesResources(ctx);
            addInformers(k.kind() + " (" + k.group() + "/" + e.getValue() + ")", istioInformers,
                    ns -> ns == null ? op.inAnyNamespace() : op.inNamespace(ns), false);
        }
        if (options.serviceRegistry()) {
            addInformers("Service", serviceInformers,
                    ns -> ns == null ? client.services().inAnyNamespace() : client.services().inNamespace(ns), false);
            var slices = client.discovery().v1().endpointSlices();
            addInformers("EndpointSlice", sliceInformers,
                    ns -> ns == null ? slices.inAnyNamespace() : slices.inNamespace(ns), false);
            addInformers("Pod", podInformers,
                    ns -> ns == null ? client.pods().inAnyNamespace() : client.pods().inNamespace(ns), true);
            SharedIndexInformer<Node> nodes = client.nodes().runnableInformer(0);
            Watched<Node> w = new Watched<>("Node", nodes);
            // node status changes all the time; only the topology labels matter
            nodes.addEventHandler(new Handler<>(w, true));
            nodes.exceptionHandler((isStarted, t) -> isStarted);
            nodeInformers.add(w);
        }
    }

    private <T extends HasMetadata> void addInformers(String what, List<Watched<T>> into,
                                                      Function<String, Informable<T>> scope, boolean labelsOnly) {
        List<String> namespaces = options.allNamespaces() ? Collections.singletonList(null) : options.namespaces();
        for (String ns : namespaces) {
            SharedIndexInformer<T> informer = scope.apply(ns).runnableInformer(0);
            Watched<T> w = new Watched<>(what + (ns == null ? "" : " in " + ns), informer);
            informer.addEventHandler(new Handler<>(w, labelsOnly));
            // fabric8 gives up on some watch errors once started; a gateway must keep trying (with fabric8's
            // exponential backoff) and re-list, however long the API server is away. Before the first sync,
            // failing is right: start() then reports the error.
            informer.exceptionHandler((isStarted, t) -> isStarted);
            informer.stopped().whenComplete((v, t) -> {
                if (t != null && !closed) {
                    LOG.log(Level.SEVERE, "kubernetes: informer for " + w.what + " stopped; its last state keeps "
                            + "serving, restart to resume watching it", t);
                }
            });
            into.add(w);
            all.add(w);
        }
    }

    /** Stops every informer. The publisher keeps its last snapshot. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        worker.execute(this::stopInformers);
        worker.shutdown();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsClient) {
            client.close();
        }
    }

    private void stopInformers() {
        List<Watched<?>> every = new ArrayList<>(all);
        every.addAll(nodeInformers);
        for (Watched<?> w : every) {
            try {
                w.informer.stop();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "stopping the informer for " + w.what, e);
            }
        }
    }

    private void changed() {
        if (!started || closed) {
            return; // before the first sync, start() builds once everything has listed
        }
        if (rebuildScheduled.compareAndSet(false, true)) {
            try {
                worker.schedule(() -> {
                    rebuildScheduled.set(false);
                    rebuild();
                }, options.coalesce().toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    /** Worker thread only. */
    private void rebuild() {
        if (closed) {
            return;
        }
        try {
            List<Resource<?>> resources = new ArrayList<>();
            List<Diagnostic> diagnostics = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            Collection<GenericKubernetesResource> istioObjects = items(istioInformers);
            istio.convert(istioObjects, resources, diagnostics, seen);
            istio.retain(seen);
            if (options.serviceRegistry()) {
                resources.addAll(registry.translate(items(serviceInformers), items(sliceInformers),
                        items(podInformers), nodeItems()));
            }
            BuildResult result = builder.build(resources, diagnostics);
            publish(result);
            if (statusWriter != null) {
                statusWriter.write(servedVersions, List.copyOf(istioObjects), result.diagnostics());
            }
        } catch (RuntimeException e) {
            // a converter or validator bug must not stop watching; the last good snapshot keeps serving
            LOG.log(Level.SEVERE, "kubernetes config rebuild failed", e);
            publisher.reject(List.of(Diagnostic.error("kubernetes", 0, null, null,
                    "internal error while building config: " + e)));
        }
    }

    private void publish(BuildResult result) {
        List<Diagnostic> errors = result.errors();
        List<Diagnostic> others = result.diagnostics().stream().filter(d -> !d.isError()).toList();
        // objects with errors are already left out of result.resources(); the rest is a valid config
        BuildResult valid = new BuildResult(result.resources(), result.hash(), others);
        ConfigSnapshot current = publisher.current();
        ConfigSnapshot next = builder.toSnapshot(valid, current);
        boolean newContent = next != current;
        boolean newErrors = !errors.equals(lastErrors);
        if (newContent) {
            others.forEach(d -> LOG.log(d.severity() == dev.meshgate.config.diag.Severity.WARNING
                    ? Level.WARNING : Level.INFO, "kubernetes: " + d.format()));
        }
        // an unchanged config with the same broken objects is not news: keep the status (failing) as it is
        if (newContent || newErrors || errors.isEmpty()) {
            publisher.publish(next, others);
        }
        if (!errors.isEmpty() && (newContent || newErrors)) {
            if (newErrors) {
                errors.forEach(d -> LOG.severe("kubernetes: " + d.format() + " (object left out)"));
                LOG.warning("kubernetes: " + errors.size() + (errors.size() == 1 ? " error" : " errors")
                        + "; serving config version " + publisher.current().version() + " (hash "
                        + ContentHash.shortHash(publisher.current().hash()) + ") without the objects at fault");
            }
            publisher.reject(result.diagnostics());
        }
        lastErrors = errors;
    }

    /** The Nodes when they could be listed, else none. Worker thread only. */
    private Collection<Node> nodeItems() {
        List<Node> out = new ArrayList<>();
        for (Watched<Node> w : nodeInformers) {
            if (w.informer.hasSynced()) {
                out.addAll(items(List.of(w)));
            }
        }
        return out;
    }

    /** Each informer's current cache, or its last complete state while it re-lists. Worker thread only. */
    private static <T> Collection<T> items(List<Watched<T>> informers) {
        List<T> out = new ArrayList<>();
        for (Watched<T> w : informers) {
            if (!w.listing) {
                w.stable = w.informer.getStore().list();
            }
            out.addAll(w.stable);
        }
        return out;
    }

    private String describeWatches() {
        List<String> parts = new ArrayList<>();
        servedVersions.forEach((k, v) -> parts.add(k.kind() + "@" + v));
        if (options.serviceRegistry()) {
            parts.add("Service");
            parts.add("EndpointSlice");
            parts.add("Pod");
            parts.add("Node (cluster-wide, best effort)");
        }
        return String.join(", ", parts) + (options.allNamespaces() ? " in all namespaces"
                : " in " + String.join(", ", options.namespaces()));
    }

    /** One informer, whether it is between onBeforeList and onList, and its last state taken outside a list. */
    private static final class Watched<T> {
        final String what;
        final SharedIndexInformer<T> informer;
        volatile boolean listing = true;
        /** Worker thread only. */
        List<T> stable = List.of();

        Watched(String what, SharedIndexInformer<T> informer) {
            this.what = what;
            this.informer = informer;
        }
    }

    private final class Handler<T extends HasMetadata> implements ResourceEventHandler<T> {
        private final Watched<T> watched;
        private final boolean labelsOnly;

        Handler(Watched<T> watched, boolean labelsOnly) {
            this.watched = watched;
            this.labelsOnly = labelsOnly;
        }

        @Override
        public void onBeforeList(String lastSyncResourceVersion) {
            watched.listing = true;
            if (lastSyncResourceVersion != null) {
                LOG.info("kubernetes: re-listing " + watched.what + " (watch lost or expired); its last complete "
                        + "state keeps serving until the list completes");
            }
        }

        @Override
        public void onList(String resourceVersion, boolean remainedEmpty) {
            watched.listing = false;
            changed();
        }

        @Override
        public void onAdd(T obj) {
            changed();
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
            // Pods change status all the time; only their labels matter here (readiness comes from EndpointSlices)
            if (labelsOnly && Objects.equals(oldObj.getMetadata().getLabels(), newObj.getMetadata().getLabels())) {
                return;
            }
            changed();
        }

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            changed();
        }
    }
}

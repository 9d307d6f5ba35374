package dev.meshgate.cli;

import dev.meshgate.admin.AdminOptions;
import dev.meshgate.admin.AdminServer;
import dev.meshgate.admin.resources.LoaderCodec;
import dev.meshgate.admin.views.AdminViews;
import dev.meshgate.admin.views.MembersView;
import dev.meshgate.admin.views.StatusView;
import dev.meshgate.cert.CredentialSource;
import dev.meshgate.cert.CredentialStatus;
import dev.meshgate.config.store.ConfigLayers;
import dev.meshgate.config.yaml.LoaderOptions;
import dev.meshgate.gateway.admin.CertInventoryView;
import dev.meshgate.gateway.admin.ClusterTableView;
import dev.meshgate.gateway.admin.ListenerTableView;
import dev.meshgate.gateway.admin.RouteTableView;
import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.route.RouteConfig;
import dev.meshgate.gateway.upstream.UpstreamManager;
import dev.meshgate.gateway.upstream.cluster.ClusterTable;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The admin API as a part of {@code meshgate run}: resources over the API/cluster layer, and the views of this
 * process' data plane. Started after the gateway, so every view has its provider from the first request.
 */
final class AdminConsumer implements SnapshotConsumer {

    private static final Logger LOG = Logger.getLogger(AdminConsumer.class.getName());

    private final AdminOptions options;
    private final ConfigLayers layers;
    private final LoaderOptions loaderOptions;
    private final Supplier<GatewayRuntime> runtime;
    private final GatewayOptions gatewayOptions;
    private final MembersView members;
    private final List<CredentialSource> credentialSources;
    private AdminServer server;

    AdminConsumer(AdminOptions options, ConfigLayers layers, LoaderOptions loaderOptions,
                  Supplier<GatewayRuntime> runtime, GatewayOptions gatewayOptions, MembersView members,
                  List<CredentialSource> credentialSources) {
        this.options = options;
        this.layers = layers;
        this.loaderOptions = loaderOptions;
        this.runtime = runtime;
        this.gatewayOptions = gatewayOptions;
        this.members = members;
        this.credentialSources = credentialSources;
    }

    @Override
    public Future<?> start(RunContext context) {
        Supplier<RouteConfig> routes = () -> runtime.get() == null ? RouteConfig.EMPTY : runtime.get().routeConfig();
        AdminViews views = new AdminViews()
                .snapshot(context.publisher()::current)
                .status(StatusView.of(context.publisher()::status))
                .routes(new RouteTableView(routes))
                .listeners(new ListenerTableView(routes,
                        () -> runtime.get() == null ? Map.of() : runtime.get().boundPorts(), gatewayOptions.bindHost(),
                        () -> runtime.get() == null || runtime.get().edge() == null ? null
                                : runtime.get().edge().status()))
                .clusters(new ClusterTableView(this::clusters))
                .certs(new CertInventoryView(this::inventory))
                .members(members);
        server = AdminServer.builder(context.vertx())
                .options(options)
                .resources(layers, new LoaderCodec(loaderOptions), ConfigPipeline.validator())
                .views(views)
                .build();
        return server.start().onSuccess(s -> LOG.info("admin API listening on " + options.host() + ":" + s.port()
                + (options.tokens() == null ? " (read-only: no --admin-tokens)" : "")));
    }

    @Override
    public void onSnapshot(dev.meshgate.config.snapshot.ConfigSnapshot current,
                           dev.meshgate.config.snapshot.ConfigSnapshot previous) {
        // the views read the data plane on demand
    }

    /** The bound port, or -1 before start. */
    int port() {
        return server == null ? -1 : server.port();
    }

    private ClusterTable clusters() {
        GatewayRuntime rt = runtime.get();
        return rt != null && rt.forwarder() instanceof UpstreamManager m ? m.clusters() : ClusterTable.EMPTY;
    }

    private List<CredentialStatus> inventory() {
        List<CredentialStatus> all = new ArrayList<>();
        for (CredentialSource s : credentialSources) {
            all.addAll(s.inventory());
        }
        return all;
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    @Override
    public String toString() {
        return "admin API";
    }
}

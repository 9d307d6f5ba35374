package dev.meshgate.gateway.upstream;

import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.route.ForwardAction;
import dev.meshgate.gateway.route.WeightedDestination;
import dev.meshgate.gateway.upstream.cluster.ClusterTable;
import dev.meshgate.gateway.upstream.forward.ForwardingCore;
import dev.meshgate.gateway.upstream.registry.ClusterCompiler;
import dev.meshgate.gateway.upstream.registry.OriginationCredentials;
import dev.meshgate.gateway.upstream.registry.ServiceEntrySource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;

/**
 * The upstream side of the data plane: compiles each snapshot's registry (ServiceEntry, WorkloadEntry) and
 * DestinationRules into a {@link ClusterTable}, and forwards requests. Called concurrently from every event loop:
 * the table is one volatile immutable reference (requests in flight keep the table they started with), upstream
 * clients are per event loop, and nothing on the request path takes a lock.
 */
public final class UpstreamManager implements Forwarder {

    private final ClusterCompiler compiler;
    private final ForwardingCore core;
    private volatile ClusterTable table = ClusterTable.EMPTY;

    public UpstreamManager(Vertx vertx) {
        this(vertx, UpstreamOptions.DEFAULT);
    }

    public UpstreamManager(Vertx vertx, UpstreamOptions options) {
        this.compiler = new ClusterCompiler(List.of(new ServiceEntrySource()), options.gatewayNamespace(),
                options.rootNamespace(), new OriginationCredentials(options.credentialsDir(), options.gatewayNamespace()));
        this.core = new ForwardingCore(vertx, options.forward(), options.registryOnly());
    }

    /** Applies a new snapshot atomically. Not for concurrent callers (the config pipeline applies in order). */
    public void apply(ConfigSnapshot snapshot) {
        this.table = compiler.compile(snapshot, table);
    }

    /** The clusters now in force (for the admin API's {@code /clusters} and for tests). */
    public ClusterTable clusters() {
        return table;
    }

    @Override
    public void forward(Exchange exchange, ForwardAction action, WeightedDestination destination) {
        core.forward(table, exchange, action, destination);
    }

    /** Egress refusals by host (hosts no ServiceEntry registers), for metrics and the admin API. */
    public java.util.Map<String, Long> refusedHosts() {
        return core.refusedHosts();
    }

    /** Closes every upstream client. */
    public Future<Void> close() {
        return core.close();
    }
}

package dev.meshgate.gateway.upstream;

import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.exchange.ResponseFlag;
import dev.meshgate.gateway.route.ForwardAction;
import dev.meshgate.gateway.route.WeightedDestination;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The upstream side of the data plane: compiles the registry and DestinationRules of each snapshot and forwards
 * requests. Called concurrently from every event loop; state is one volatile immutable reference.
 * (Initial stub: every cluster is unknown until the registry lands.)
 */
public final class UpstreamManager implements Forwarder {

    private final Vertx vertx;
    private volatile ConfigSnapshot snapshot = ConfigSnapshot.EMPTY;

    public UpstreamManager(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Applies a new snapshot atomically; requests in flight finish on the state they started with. */
    public void apply(ConfigSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public void forward(Exchange exchange, ForwardAction action, WeightedDestination destination) {
        exchange.upstreamCluster(destination.cluster().name());
        exchange.flag(ResponseFlag.NC);
        exchange.responseCodeDetails("cluster_not_found");
        exchange.request().resume();
        exchange.request().response().setStatusCode(503).end();
    }

    /** Closes every upstream client. */
    public Future<Void> close() {
        return Future.succeededFuture();
    }
}

package dev.meshgate.gateway.upstream.forward;

import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.route.ForwardAction;
import dev.meshgate.gateway.route.MirrorPolicy;
import dev.meshgate.gateway.route.WeightedDestination;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.ClusterTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Entry point of the forwarding core: resolves the cluster of one request and starts its call. */
public final class ForwardingCore {

    private final Vertx vertx;
    private final ForwardOptions options;
    private final UpstreamClients clients;

    private final EgressRefusals refusals;
    private final DynamicEndpoints dynamic;

    public ForwardingCore(Vertx vertx, ForwardOptions options) {
        this(vertx, options, false);
    }

    public ForwardingCore(Vertx vertx, ForwardOptions options, boolean registryOnly) {
        this(vertx, options, registryOnly, null);
    }

    /** @param dynamic per-request endpoints of DYNAMIC_DNS clusters, or null */
    public ForwardingCore(Vertx vertx, ForwardOptions options, boolean registryOnly, DynamicEndpoints dynamic) {
        this(vertx, options, registryOnly, dynamic, null);
    }

    /** @param keys rotating TLS origination credentials, or null (PEM files read once per client) */
    public ForwardingCore(Vertx vertx, ForwardOptions options, boolean registryOnly, DynamicEndpoints dynamic,
                          ClientKeyMaterial keys) {
        this.vertx = vertx;
        this.options = options;
        this.clients = new UpstreamClients(vertx, keys);
        this.refusals = registryOnly ? new EgressRefusals() : null;
        this.dynamic = dynamic;
    }

    public java.util.Map<String, Long> refusedHosts() {
        return refusals == null ? java.util.Map.of() : refusals.snapshot();
    }

    public void forward(ClusterTable table, Exchange ex, ForwardAction action, WeightedDestination destination) {
        Cluster cluster = table.find(destination.cluster());
        if (cluster == null && refusals != null) {
            // egress: a wildcard ServiceEntry (*.example.com) admits api.example.com, as the forward proxy does
            cluster = table.findWildcard(destination.cluster());
        }
        if (cluster == null) {
            ex.upstreamCluster(destination.cluster().name());
            if (refusals != null && !table.knowsHost(destination.cluster().host())) {
                refusals.refuse(ex, destination.cluster().host());
                return;
            }
            LocalReply.clusterNotFound(ex);
            return;
        }
        ex.upstreamCluster(cluster.name());
        if (cluster.hosts().isEmpty()) {
            if (dynamic != null && dynamic.handles(cluster)) {
                dynamic.resolve(ex, cluster).onComplete(ar -> {
                    if (ex.request().response().closed()) {
                        ex.flag(dev.meshgate.gateway.exchange.ResponseFlag.DC); // the client left during the lookup
                    } else if (ar.succeeded()) {
                        call(table, ex, action, ar.result());
                    } else if (ar.cause() instanceof DynamicEndpoints.Refusal r) {
                        LocalReply.send(ex, r.status, r.flag, r.details, r.body);
                    } else {
                        LocalReply.noHealthyUpstream(ex);
                    }
                });
                return;
            }
            LocalReply.noHealthyUpstream(ex);
            return;
        }
        call(table, ex, action, cluster);
    }

    private void call(ClusterTable table, Exchange ex, ForwardAction action, Cluster cluster) {
        if (WebSocketTunnel.isUpgrade(ex.request())) {
            WebSocketTunnel.forward(clients, ex, cluster);
            return;
        }
        new UpstreamCall(vertx, clients, options, ex, action, cluster, mirrors(table, action)).start();
    }

    private Mirrors mirrors(ClusterTable table, ForwardAction action) {
        if (action.mirrors().isEmpty()) {
            return null;
        }
        List<Cluster> targets = null;
        for (MirrorPolicy m : action.mirrors()) {
            if (m.percentage() <= 0 || (m.percentage() < 100 && ThreadLocalRandom.current().nextDouble(100) >= m.percentage())) {
                continue;
            }
            Cluster c = table.find(m.cluster());
            if (c == null || c.hosts().isEmpty()) {
                continue;
            }
            if (targets == null) {
                targets = new ArrayList<>(action.mirrors().size());
            }
            targets.add(c);
        }
        if (targets == null) {
            return null;
        }
        Duration timeout = action.timeout() != null && !action.timeout().isZero() ? action.timeout() : options.mirrorTimeout();
        return new Mirrors(clients, targets, timeout);
    }

    public Future<Void> close() {
        return clients.close();
    }
}

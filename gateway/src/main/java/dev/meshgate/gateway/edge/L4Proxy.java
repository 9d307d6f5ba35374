package dev.meshgate.gateway.edge;

import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.ClusterTable;
import dev.meshgate.gateway.upstream.cluster.Host;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Layer-4 forwarding of one downstream connection: a weighted destination of the route, an endpoint from the
 * cluster's load balancer, then bytes copied both ways with Vert.x pipes (the reader pauses while the writer's
 * queue is full; the end of one side ends the other).
 */
final class L4Proxy {

    private static final Logger LOG = Logger.getLogger(L4Proxy.class.getName());

    private final Supplier<ClusterTable> clusters;
    private final NetClient client;
    private final EdgeCounters counters;

    L4Proxy(Supplier<ClusterTable> clusters, NetClient client, EdgeCounters counters) {
        this.clusters = clusters;
        this.client = client;
        this.counters = counters;
    }

    /**
     * @param down  paused, with no handler set
     * @param first bytes already read from {@code down} that go upstream first, or null
     */
    void forward(NetSocket down, Buffer first, SniRoute route, String label) {
        SniRoute.Destination d = route.pick();
        Cluster cluster = clusters.get().find(d.cluster());
        Host host = cluster == null ? null : cluster.loadBalancer().choose(null, Set.of());
        if (host == null) {
            counters.upstreamFailures.increment();
            LOG.fine(() -> label + ": " + (cluster == null ? "NC cluster_not_found " : "UH no_healthy_upstream ")
                    + d.cluster().name());
            down.close();
            return;
        }
        client.connect(host.port(), host.address()).onComplete(ar -> {
            if (ar.failed()) {
                counters.upstreamFailures.increment();
                LOG.fine(() -> label + ": UF " + host.hostPort() + ": " + ar.cause());
                down.close();
                return;
            }
            NetSocket up = ar.result();
            if (first != null && first.length() > 0) {
                up.write(first);
            }
            down.pipeTo(up).onFailure(e -> up.close());
            up.pipeTo(down).onFailure(e -> down.close());
        });
    }
}

package dev.meshgate.gateway.edge;

import dev.meshgate.gateway.exchange.ResponseFlag;
import dev.meshgate.gateway.observe.ConnectionTelemetry;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.ClusterTable;
import dev.meshgate.gateway.upstream.cluster.Host;
import dev.meshgate.gateway.upstream.cluster.OutlierDetector;
import dev.meshgate.gateway.upstream.forward.KeepaliveOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Layer-4 forwarding of one downstream connection, as Envoy's TCP proxy does it: a weighted destination of the
 * route, then the cluster's circuit breaker ({@code tcp.maxConnections}: over it the connection is closed at
 * once, UO; checked before the endpoint, as Envoy does), an endpoint from the load balancer that is not ejected (none: UH), a connect bounded by
 * {@code tcp.connectTimeout} (failure: closed, UF, and an outlier-detection local-origin failure of the host),
 * {@code tcp.tcpKeepalive} on the upstream socket, then {@link L4Connection} copies bytes both ways and reports them.
 */
final class L4Proxy {

    private static final Logger LOG = Logger.getLogger(L4Proxy.class.getName());

    private final Vertx vertx;
    private final Supplier<ClusterTable> clusters;
    private final NetClient client;
    private final EdgeCounters counters;
    private final Supplier<ConnectionTelemetry> telemetry;

    L4Proxy(Vertx vertx, Supplier<ClusterTable> clusters, NetClient client, EdgeCounters counters,
            Supplier<ConnectionTelemetry> telemetry) {
        this.vertx = vertx;
        this.clusters = clusters;
        this.client = client;
        this.counters = counters;
        this.telemetry = telemetry;
    }

    /**
     * @param down  paused, with no handler set
     * @param first bytes already read from {@code down} that go upstream first, or null
     * @param sni   the server name the client asked for (%REQUESTED_SERVER_NAME%), or null
     */
    void forward(NetSocket down, Buffer first, SniRoute route, String label, String sni) {
        L4Connection conn = new L4Connection(vertx, down, sni, label, telemetry.get());
        SniRoute.Destination d = route.pick();
        Cluster cluster = clusters.get().find(d.cluster());
        if (cluster == null) {
            counters.upstreamFailures.increment();
            LOG.fine(() -> label + ": NC cluster_not_found " + d.cluster().name());
            conn.refuse(null, null, null, ResponseFlag.NC);
            return;
        }
        int limit = cluster.policy().pool().maxConnections();
        if (!cluster.stats().tryAcquireConnection(limit)) {
            cluster.stats().overflows().increment();
            LOG.fine(() -> label + ": UO " + cluster.name() + " has " + limit + " connections open (maxConnections)");
            conn.refuse(cluster, cluster.name(), null, ResponseFlag.UO);
            return;
        }
        Host host = choose(cluster);
        if (host == null) {
            cluster.stats().releaseConnection();
            counters.upstreamFailures.increment();
            LOG.fine(() -> label + ": UH no_healthy_upstream " + cluster.name());
            conn.refuse(cluster, cluster.name(), null, ResponseFlag.UH);
            return;
        }
        long timeoutMs = Math.max(1, cluster.policy().connectTimeout().toMillis());
        ConnectOptions to = new ConnectOptions().setHost(host.address()).setPort(host.port())
                .setTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs));
        conn.connecting();
        client.connect(to).onComplete(ar -> {
            if (ar.failed()) {
                cluster.stats().releaseConnection();
                counters.upstreamFailures.increment();
                OutlierDetector.onLocalOriginFailure(cluster, host);
                LOG.fine(() -> label + ": UF " + host.hostPort() + ": " + ar.cause());
                conn.refuse(cluster, cluster.name(), host, ResponseFlag.UF);
                return;
            }
            // Envoy's TCP proxy reports a successful connect to outlier detection as a success (resets the counts)
            OutlierDetector.onResponse(cluster, host, 200);
            // Envoy applies the cluster's upstream_connection_options (Istio's tcpKeepalive) to these too
            KeepaliveOptions.apply(ar.result(), cluster.policy().keepalive());
            conn.connected(cluster, host, ar.result(), first, true);
        });
    }

    /** An endpoint that is not ejected (all of them in panic), or null when there is none. */
    private static Host choose(Cluster cluster) {
        Set<Host> ejected = OutlierDetector.excluded(cluster);
        if (ejected.isEmpty()) {
            return cluster.loadBalancer().choose(null, Set.of());
        }
        if (ejected.size() >= cluster.hosts().size()) {
            return null;
        }
        Host h = cluster.loadBalancer().choose(null, ejected);
        if (h != null && ejected.contains(h)) {
            // the balancer fell back to an excluded host (consistent hashes ignore exclusions)
            for (Host other : cluster.hosts()) {
                if (!ejected.contains(other)) {
                    return other;
                }
            }
            return null;
        }
        return h;
    }
}

package dev.meshgate.gateway.edge;

import dev.meshgate.gateway.route.ListenerKey;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.ClusterTable;
import dev.meshgate.gateway.upstream.cluster.Host;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * A PASSTHROUGH TLS listener: reads the SNI from the ClientHello without terminating, picks the VirtualService
 * {@code tls:} route for it and a weighted destination (once per connection), connects to an endpoint of that
 * cluster and copies bytes both ways with back-pressure (the ClientHello bytes already read go first).
 * A connection without a route is closed (Envoy NR, {@code filter_chain_not_found}).
 */
final class PassthroughListener {

    private static final Logger LOG = Logger.getLogger(PassthroughListener.class.getName());
    // own range: Vert.x shares servers by (host, port), negative ports included
    private static final AtomicInteger RANDOM_PORT_IDS = new AtomicInteger(20_000);

    private final Vertx vertx;
    private final ListenerKey key;
    private final List<String> deployments;
    private final int actualPort;
    private final Handler handler;

    private PassthroughListener(Vertx vertx, ListenerKey key, List<String> deployments, int actualPort,
                                Handler handler) {
        this.vertx = vertx;
        this.key = key;
        this.deployments = deployments;
        this.actualPort = actualPort;
        this.handler = handler;
    }

    static Future<PassthroughListener> start(Vertx vertx, PassthroughPlan plan, String host, int port, int instances,
                                             Supplier<ClusterTable> clusters, NetClient client, String defaultSni,
                                             Duration helloTimeout, EdgeCounters counters) {
        Handler handler = new Handler(vertx, plan, clusters, client, defaultSni, helloTimeout, counters);
        int listenPort = port == 0 ? -RANDOM_PORT_IDS.incrementAndGet() : port;
        Verticle first = new Verticle(host, listenPort, handler);
        return vertx.deployVerticle(first).compose(id -> {
            List<String> ids = new ArrayList<>(List.of(id));
            int actual = first.server.actualPort();
            if (instances <= 1) {
                return Future.succeededFuture(new PassthroughListener(vertx, plan.key(), ids, actual, handler));
            }
            return vertx.deployVerticle(() -> new Verticle(host, listenPort, handler),
                            new DeploymentOptions().setInstances(instances - 1))
                    .map(id2 -> {
                        ids.add(id2);
                        return new PassthroughListener(vertx, plan.key(), ids, actual, handler);
                    })
                    .recover(err -> vertx.undeploy(id).transform(x -> Future.failedFuture(err)));
        });
    }

    int actualPort() {
        return actualPort;
    }

    /** New connections use {@code plan}; established ones keep their upstream. */
    void update(PassthroughPlan plan) {
        handler.plan = plan;
    }

    Future<Void> stop() {
        List<Future<Void>> all = new ArrayList<>();
        for (String id : deployments) {
            all.add(vertx.undeploy(id));
        }
        return Future.join(all).mapEmpty();
    }

    private static final class Verticle extends VerticleBase {
        private final String host;
        private final int port;
        private final Handler handler;
        private NetServer server;

        Verticle(String host, int port, Handler handler) {
            this.host = host;
            this.port = port;
            this.handler = handler;
        }

        @Override
        public Future<?> start() {
            server = vertx.createNetServer(new NetServerOptions()).connectHandler(handler::accept);
            return server.listen(port, host);
        }

        @Override
        public Future<?> stop() {
            return server == null ? Future.succeededFuture() : server.close();
        }
    }

    private static final class Handler {
        private final Vertx vertx;
        private final Supplier<ClusterTable> clusters;
        private final NetClient client;
        private final String defaultSni;
        private final long timeoutMs;
        private final EdgeCounters counters;
        volatile PassthroughPlan plan;

        Handler(Vertx vertx, PassthroughPlan plan, Supplier<ClusterTable> clusters, NetClient client,
                String defaultSni, Duration helloTimeout, EdgeCounters counters) {
            this.vertx = vertx;
            this.plan = plan;
            this.clusters = clusters;
            this.client = client;
            this.defaultSni = defaultSni;
            this.timeoutMs = Math.max(1, helloTimeout.toMillis());
            this.counters = counters;
        }

        void accept(NetSocket so) {
            counters.passthroughConnections.increment();
            Buffer acc = Buffer.buffer();
            long timer = vertx.setTimer(timeoutMs, t -> {
                counters.badClientHello.increment();
                LOG.fine(() -> "passthrough " + plan.key() + ": no ClientHello from " + so.remoteAddress()
                        + " within " + timeoutMs + " ms; closed");
                so.handler(null);
                so.close();
            });
            so.handler(buf -> {
                acc.appendBuffer(buf);
                ClientHello.Result r = ClientHello.parse(acc);
                if (r instanceof ClientHello.NeedMore && acc.length() <= ClientHello.MAX_HELLO + 1024) {
                    return;
                }
                vertx.cancelTimer(timer);
                so.pause();
                so.handler(null);
                if (r instanceof ClientHello.Parsed p) {
                    route(so, p.sni(), acc);
                } else {
                    counters.badClientHello.increment();
                    String why = r instanceof ClientHello.Invalid inv ? inv.reason() : "ClientHello too large";
                    LOG.fine(() -> "passthrough " + plan.key() + ": " + why + " from " + so.remoteAddress()
                            + "; closed");
                    so.close();
                }
            });
            so.closeHandler(v -> vertx.cancelTimer(timer));
        }

        private void route(NetSocket so, String sni, Buffer hello) {
            PassthroughPlan p = plan;
            SniRoute route = p.routes().lookup(sni);
            if (route == null && defaultSni != null) {
                route = p.routes().lookup(defaultSni);
            }
            if (route == null) {
                counters.noFilterChain.increment();
                LOG.fine(() -> "passthrough " + p.key() + ": NR filter_chain_not_found for SNI " + sni);
                so.close();
                return;
            }
            SniRoute.Destination d = route.pick();
            Cluster cluster = clusters.get().find(d.cluster());
            Host host = cluster == null ? null : cluster.loadBalancer().choose(null, Set.of());
            if (host == null) {
                counters.upstreamFailures.increment();
                LOG.fine(() -> "passthrough " + p.key() + ": " + (cluster == null ? "NC cluster_not_found "
                        : "UH no_healthy_upstream ") + d.cluster().name() + " for SNI " + sni);
                so.close();
                return;
            }
            client.connect(host.port(), host.address()).onComplete(ar -> {
                if (ar.failed()) {
                    counters.upstreamFailures.increment();
                    LOG.fine(() -> "passthrough " + p.key() + ": UF " + host.hostPort() + ": " + ar.cause());
                    so.close();
                    return;
                }
                NetSocket up = ar.result();
                up.write(hello);
                // pipes resume their source, honour write-queue back-pressure, and end the other side at the end
                so.pipeTo(up).onFailure(e -> up.close());
                up.pipeTo(so).onFailure(e -> so.close());
            });
        }
    }
}

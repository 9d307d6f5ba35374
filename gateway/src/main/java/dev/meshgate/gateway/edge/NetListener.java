package dev.meshgate.gateway.edge;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ServerSSLOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A TCP listener deployed as one verticle per event loop sharing the socket (like the HTTP listeners), for
 * passthrough and TLS-terminated TCP.
 */
final class NetListener {

    // own range: Vert.x shares servers by (host, port), negative "any free port" keys included
    private static final AtomicInteger RANDOM_PORT_IDS = new AtomicInteger(20_000);

    private final Vertx vertx;
    private final List<String> deployments;
    private final List<NetServer> servers;
    private final int actualPort;

    private NetListener(Vertx vertx, List<String> deployments, List<NetServer> servers, int actualPort) {
        this.vertx = vertx;
        this.deployments = deployments;
        this.servers = servers;
        this.actualPort = actualPort;
    }

    static Future<NetListener> start(Vertx vertx, String host, int port, int instances,
                                     Supplier<NetServerOptions> options, Handler<NetSocket> handler,
                                     Handler<Throwable> errors) {
        int listenPort = port == 0 ? -RANDOM_PORT_IDS.incrementAndGet() : port;
        List<NetServer> servers = new CopyOnWriteArrayList<>();
        Verticle first = new Verticle(host, listenPort, options, handler, errors, servers);
        return vertx.deployVerticle(first).compose(id -> {
            List<String> ids = new ArrayList<>(List.of(id));
            int actual = first.server.actualPort();
            if (instances <= 1) {
                return Future.succeededFuture(new NetListener(vertx, ids, servers, actual));
            }
            return vertx.deployVerticle(() -> new Verticle(host, listenPort, options, handler, errors, servers),
                            new DeploymentOptions().setInstances(instances - 1))
                    .map(id2 -> {
                        ids.add(id2);
                        return new NetListener(vertx, ids, servers, actual);
                    })
                    .recover(err -> vertx.undeploy(id).transform(x -> Future.failedFuture(err)));
        });
    }

    int actualPort() {
        return actualPort;
    }

    /** Applies new TLS options to every instance; new handshakes use them. */
    Future<Void> updateSsl(ServerSSLOptions ssl) {
        List<Future<Boolean>> all = new ArrayList<>();
        for (NetServer s : servers) {
            all.add(s.updateSSLOptions(ssl));
        }
        return Future.all(all).mapEmpty();
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
        private final Supplier<NetServerOptions> options;
        private final Handler<NetSocket> handler;
        private final Handler<Throwable> errors;
        private final List<NetServer> registry;
        private NetServer server;

        Verticle(String host, int port, Supplier<NetServerOptions> options, Handler<NetSocket> handler,
                 Handler<Throwable> errors, List<NetServer> registry) {
            this.host = host;
            this.port = port;
            this.options = options;
            this.handler = handler;
            this.errors = errors;
            this.registry = registry;
        }

        @Override
        public Future<?> start() {
            server = vertx.createNetServer(options.get()).connectHandler(handler);
            if (errors != null) {
                server.exceptionHandler(errors);
            }
            registry.add(server);
            return server.listen(port, host);
        }

        @Override
        public Future<?> stop() {
            return server == null ? Future.succeededFuture() : server.close();
        }
    }
}

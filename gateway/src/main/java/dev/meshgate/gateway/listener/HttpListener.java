package dev.meshgate.gateway.listener;

import dev.meshgate.gateway.route.ListenerKey;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One gateway listener: an HTTP server on one local address, deployed as one verticle per event loop (Vert.x
 * shares the socket between them). Each connection speaks HTTP/1.1 or cleartext HTTP/2 with prior knowledge.
 * The handler reads the current route table on every request, so the listener outlives config changes that
 * keep its port.
 */
public final class HttpListener {

    private static final java.util.concurrent.atomic.AtomicInteger RANDOM_PORT_IDS =
            new java.util.concurrent.atomic.AtomicInteger();

    private final Vertx vertx;
    private final ListenerKey key;
    private final String host;
    private final List<String> deployments;
    private final int actualPort;
    private final List<HttpServer> servers;

    private HttpListener(Vertx vertx, ListenerKey key, String host, List<String> deployments, int actualPort,
                         List<HttpServer> servers) {
        this.vertx = vertx;
        this.key = key;
        this.host = host;
        this.deployments = deployments;
        this.actualPort = actualPort;
        this.servers = servers;
    }

    /** The HTTP server of every instance (e.g. to update their TLS options together). */
    public List<HttpServer> servers() {
        return List.copyOf(servers);
    }

    /**
     * Binds {@code host:port} ({@code port} 0 picks a free port, which the other instances then share).
     *
     * @param handlers makes the request handler of each instance
     */
    public static Future<HttpListener> start(Vertx vertx, ListenerKey key, String host, int port, int instances,
                                             Supplier<Handler<HttpServerRequest>> handlers) {
        return start(vertx, key, host, port, instances, handlers, o -> o, null, null);
    }


    /**
     * As {@link #start(Vertx, ListenerKey, String, int, int, Supplier)}, with the server options adjusted by
     * {@code options} (TLS), an optional connection handler and an optional handler of errors before a
     * connection is established (e.g. failed TLS handshakes).
     */
    public static Future<HttpListener> start(Vertx vertx, ListenerKey key, String host, int port, int instances,
                                             Supplier<Handler<HttpServerRequest>> handlers,
                                             UnaryOperator<HttpServerOptions> options,
                                             Handler<HttpConnection> connections, Handler<Throwable> errors) {
        List<HttpServer> servers = new CopyOnWriteArrayList<>();
        // Vert.x shares a socket between servers asking for the same address; for "any free port" that needs
        // the same negative port number in every instance (each listener gets its own)
        int listenPort = port == 0 ? -RANDOM_PORT_IDS.incrementAndGet() : port;
        ServerVerticle first = new ServerVerticle(host, listenPort, handlers.get(), options, connections, errors, servers);
        return vertx.deployVerticle(first).compose(id -> {
            int actual = first.server.actualPort();
            List<String> ids = new ArrayList<>();
            ids.add(id);
            if (instances <= 1) {
                return Future.succeededFuture(new HttpListener(vertx, key, host, ids, actual, servers));
            }
            return vertx.deployVerticle(() -> new ServerVerticle(host, listenPort, handlers.get(), options,
                                    connections, errors, servers),
                            new DeploymentOptions().setInstances(instances - 1))
                    .map(id2 -> {
                        ids.add(id2);
                        return new HttpListener(vertx, key, host, ids, actual, servers);
                    })
                    .recover(err -> vertx.undeploy(id).transform(x -> Future.failedFuture(err)));
        });
    }

    public ListenerKey key() {
        return key;
    }

    public String host() {
        return host;
    }

    public int actualPort() {
        return actualPort;
    }

    /** Closes the socket; requests in flight on open connections are cut, as when Envoy removes a listener. */
    public Future<Void> stop() {
        List<Future<Void>> all = new ArrayList<>();
        for (String id : deployments) {
            all.add(vertx.undeploy(id));
        }
        return Future.join(all).mapEmpty();
    }

    static HttpServerOptions serverOptions() {
        return new HttpServerOptions()
                .setHttp2ClearTextEnabled(true)
                // Envoy's default header limit is 60 KiB; the request line counts against it there too
                .setMaxHeaderSize(60 * 1024)
                .setMaxInitialLineLength(60 * 1024)
                .setCompressionSupported(false)
                .setDecompressionSupported(false);
    }

    private static final class ServerVerticle extends VerticleBase {
        private final String host;
        private final int port;
        private final Handler<HttpServerRequest> handler;
        private final UnaryOperator<HttpServerOptions> options;
        private final Handler<HttpConnection> connections;
        private final Handler<Throwable> errors;
        private final List<HttpServer> registry;
        private HttpServer server;

        ServerVerticle(String host, int port, Handler<HttpServerRequest> handler,
                       UnaryOperator<HttpServerOptions> options, Handler<HttpConnection> connections,
                       Handler<Throwable> errors, List<HttpServer> registry) {
            this.host = host;
            this.port = port;
            this.handler = handler;
            this.options = options;
            this.connections = connections;
            this.errors = errors;
            this.registry = registry;
        }

        @Override
        public Future<?> start() {
            server = vertx.createHttpServer(options.apply(serverOptions())).requestHandler(handler);
            if (connections != null) {
                server.connectionHandler(connections);
            }
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

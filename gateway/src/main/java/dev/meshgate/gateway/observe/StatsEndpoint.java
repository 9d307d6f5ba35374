package dev.meshgate.gateway.observe;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * The Prometheus port of an Istio gateway ({@code 15090}): {@code GET /stats/prometheus} returns the registry in
 * the Prometheus text format (0.0.4). The scrape runs on a worker thread: its cost grows with the number of
 * series and must not stall an event loop.
 */
public final class StatsEndpoint {

    public static final int DEFAULT_PORT = 15090;
    public static final String PATH = "/stats/prometheus";
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private Vertx vertx;
    private HttpServer server;

    public StatsEndpoint(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    public Future<StatsEndpoint> start(Vertx vertx, String host, int port) {
        this.vertx = vertx;
        server = vertx.createHttpServer(new HttpServerOptions()).requestHandler(this::handle);
        return server.listen(port, host).map(s -> this);
    }

    public int actualPort() {
        return server == null ? -1 : server.actualPort();
    }

    private void handle(HttpServerRequest req) {
        if (!PATH.equals(req.path())) {
            req.response().setStatusCode(404).end();
            return;
        }
        if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
            req.response().setStatusCode(405).putHeader("allow", "GET, HEAD").end();
            return;
        }
        vertx.executeBlocking(registry::scrape, false).onComplete(ar -> {
            if (ar.failed()) {
                req.response().setStatusCode(500).end();
                return;
            }
            req.response().putHeader("content-type", CONTENT_TYPE);
            if (req.method() == HttpMethod.HEAD) {
                req.response().end();
            } else {
                req.response().end(ar.result());
            }
        });
    }

    public Future<Void> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}

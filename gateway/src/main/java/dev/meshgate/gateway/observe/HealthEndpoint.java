package dev.meshgate.gateway.observe;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * The readiness port of an Istio gateway ({@code 15021}): {@code GET /healthz/ready} answers 200 when the
 * {@link HealthState} is ready and 503 with the reason otherwise. Other paths are 404.
 */
public final class HealthEndpoint {

    public static final int DEFAULT_PORT = 15021;
    public static final String PATH = "/healthz/ready";

    private final HealthState state;
    private HttpServer server;

    public HealthEndpoint(HealthState state) {
        this.state = state;
    }

    public Future<HealthEndpoint> start(Vertx vertx, String host, int port) {
        server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false))
                .requestHandler(this::handle);
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
        String reason = state.notReadyReason();
        if (reason == null) {
            req.response().setStatusCode(200).end();
        } else {
            req.response().setStatusCode(503).putHeader("content-type", "text/plain").end(reason + "\n");
        }
    }

    public Future<Void> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}

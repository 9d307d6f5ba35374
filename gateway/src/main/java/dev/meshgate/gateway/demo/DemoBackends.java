package dev.meshgate.gateway.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/** The demo's two in-process backends: {@code hello from v1} and {@code hello from v2} on free local ports. */
public final class DemoBackends {

    private DemoBackends() {
    }

    public static Future<HttpServer> start(Vertx vertx, String version, String host) {
        return vertx.createHttpServer()
                .requestHandler(req -> req.body().onComplete(b -> req.response()
                        .putHeader("content-type", "text/plain")
                        .putHeader("x-version", version)
                        .end("hello from " + version + "\n")))
                .listen(0, host);
    }
}

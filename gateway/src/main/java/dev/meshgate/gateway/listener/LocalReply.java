package dev.meshgate.gateway.listener;

import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.exchange.HeaderOps;
import dev.meshgate.gateway.exchange.ResponseFlag;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Responses the gateway produces itself (Envoy "local replies"): 404 NR, 400, 426, redirects, direct
 * responses, fault aborts, CORS preflights. The route's response header ops run on them too, after the
 * reply's own headers, so a route can set Content-Type on a direct response.
 */
final class LocalReply {

    private LocalReply() {
    }

    static void send(Exchange ex, int status, Buffer body, String details, ResponseFlag flag, MultiMap headers) {
        if (flag != null) {
            ex.flag(flag);
        }
        ex.responseCodeDetails(details);
        HttpServerResponse resp = ex.request().response();
        if (resp.ended() || resp.closed()) {
            return;
        }
        // the body, if any, is discarded; Vert.x drains it so the connection stays usable
        ex.request().resume();
        resp.setStatusCode(status);
        if (headers != null) {
            resp.headers().addAll(headers);
        }
        if (body != null && body.length() > 0 && !resp.headers().contains("content-type")) {
            resp.putHeader("content-type", "text/plain");
        }
        for (HeaderOps ops : ex.responseHeaderOps()) {
            ops.applyTo(resp.headers());
        }
        if (body == null || body.length() == 0) {
            resp.end();
        } else {
            resp.end(body);
        }
    }

    static void send(Exchange ex, int status, String body, String details, ResponseFlag flag) {
        send(ex, status, body == null ? null : Buffer.buffer(body), details, flag, null);
    }
}

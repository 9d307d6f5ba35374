package dev.meshgate.gateway.observe;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What Envoy's HTTP connection manager does to downstream connections while the listener drains: every HTTP/1.x
 * response written during the drain carries {@code Connection: close} and its connection closes once that
 * response is complete; an HTTP/2 connection gets a GOAWAY with the highest stream id (Envoy's "shutdown
 * notification": the client opens no new streams on it, the streams it has still complete). Clients thus move
 * to other replicas while every request already sent is served. The listeners themselves stay open.
 *
 * <p>Applied when a response's head is written, so requests in flight when the drain began are covered too.
 * Idle connections hear nothing until their next response (or until the listeners close at the end).
 */
public final class DrainingConnections {

    /** Envoy's graceful GOAWAY: "no new streams, please", without refusing any stream the client has sent. */
    static final int SHUTDOWN_NOTICE_STREAM_ID = Integer.MAX_VALUE;

    private final BooleanSupplier draining;
    private final long closeTimeoutMillis;

    /**
     * @param draining           true from the moment the drain starts (read on every response head: cheap)
     * @param closeTimeoutMillis longest wait for an HTTP/1.x response to complete before its connection is cut;
     *                           the drain's whole bound, so a slow response is never cut before the process stops
     */
    public DrainingConnections(BooleanSupplier draining, long closeTimeoutMillis) {
        this.draining = draining;
        this.closeTimeoutMillis = Math.max(1, closeTimeoutMillis);
    }

    /** Arranges the drain behaviour for this response; call once per exchange, before its head is written. */
    public void watch(HttpServerRequest req, HttpServerResponse resp) {
        resp.headersEndHandler(v -> onHead(req, resp));
    }

    private void onHead(HttpServerRequest req, HttpServerResponse resp) {
        // a 101 hands the connection over to a WebSocket tunnel: it ends when the listeners close
        if (!draining.getAsBoolean() || resp.getStatusCode() == 101) {
            return;
        }
        HttpConnection conn = req.connection();
        if (conn == null) {
            return;
        }
        if (req.version() == HttpVersion.HTTP_2) {
            // repeated notices with the same id are no-ops in Netty's lifecycle manager
            conn.goAway(0, SHUTDOWN_NOTICE_STREAM_ID);
        } else {
            resp.putHeader("connection", "close");
            // closes the connection once this response is complete (Vert.x's graceful HTTP/1.x shutdown)
            conn.shutdown(closeTimeoutMillis, TimeUnit.MILLISECONDS);
        }
    }
}

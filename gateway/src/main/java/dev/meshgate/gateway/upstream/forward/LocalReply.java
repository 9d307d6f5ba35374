package dev.meshgate.gateway.upstream.forward;

import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.exchange.HeaderOps;
import dev.meshgate.gateway.exchange.ResponseFlag;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

import java.util.concurrent.TimeUnit;

/** Envoy's router local replies: status, flag, details, plain-text body, route response header ops applied. */
public final class LocalReply {

    public static final String NO_HEALTHY_UPSTREAM = "no healthy upstream";
    public static final String UPSTREAM_TIMEOUT = "upstream request timeout";
    /** Envoy's default delayed_close_timeout. */
    static final long DELAYED_CLOSE_MS = 1000;

    private LocalReply() {
    }

    public static void clusterNotFound(Exchange ex) {
        send(ex, 503, ResponseFlag.NC, "cluster_not_found", "");
    }

    public static void noHealthyUpstream(Exchange ex) {
        send(ex, 503, ResponseFlag.UH, "no_healthy_upstream", NO_HEALTHY_UPSTREAM);
    }

    static void timeout(Exchange ex, String details) {
        send(ex, 504, ResponseFlag.UT, details, UPSTREAM_TIMEOUT);
    }

    /** 503 after a reset or connect failure before any response header arrived. */
    static void reset(Exchange ex, ResetKind kind, boolean retried) {
        String body = "upstream connect error or disconnect/reset before headers. "
                + (retried ? "retried and the latest " : "") + "reset reason: " + kind.reason;
        send(ex, 503, kind.flag, "upstream_reset_before_response_started{" + kind.detail + "}", body);
    }

    /**
     * 503 UO: a circuit breaker (connections, pending requests, requests) refused the request at once. Envoy adds
     * {@code x-envoy-overloaded: true} to such replies.
     */
    static void overflow(Exchange ex) {
        send(ex, 503, ResponseFlag.UO, "upstream_reset_before_response_started{overflow}",
                "upstream connect error or disconnect/reset before headers. reset reason: overflow", true);
    }

    /** Egress gateway: the destination host is not registered (Istio's REGISTRY_ONLY BlackHoleCluster, 502). */
    static void egressRefused(Exchange ex, String host) {
        send(ex, 502, ResponseFlag.NR, "egress_host_not_registered",
                "egress refused: host \"" + host + "\" is not registered by any ServiceEntry visible to this gateway"
                        + " (registry-only egress: add a ServiceEntry for it)\n");
    }

    static void send(Exchange ex, int status, ResponseFlag flag, String details, String body) {
        send(ex, status, flag, details, body, false);
    }

    private static void send(Exchange ex, int status, ResponseFlag flag, String details, String body,
                             boolean overloaded) {
        if (flag != null) {
            ex.flag(flag);
        }
        ex.responseCodeDetails(details);
        HttpServerRequest req = ex.request();
        HttpServerResponse resp = req.response();
        if (resp.ended() || resp.closed() || resp.headWritten()) {
            return;
        }
        resp.setStatusCode(status);
        if (overloaded) {
            resp.putHeader("x-envoy-overloaded", "true");
        }
        if (!body.isEmpty()) {
            resp.putHeader("content-type", "text/plain");
        }
        for (HeaderOps ops : ex.responseHeaderOps()) {
            ops.applyTo(resp.headers());
        }
        boolean unfinishedHttp1 = !req.isEnded() && req.version() != HttpVersion.HTTP_2 && hasBody(req);
        if (unfinishedHttp1) {
            // the rest of the request body will not be read: do not reuse the connection
            resp.putHeader("connection", "close");
        }
        resp.end(body);
        if (!req.isEnded()) {
            req.handler(null);
            req.resume();
        }
        if (unfinishedHttp1) {
            delayedClose(req.connection());
        }
    }

    /**
     * Whether an HTTP/1 request carries a body. One that does not is complete once its head arrived, even while its
     * end still sits in the paused request's queue ({@code isEnded()} false): its connection stays reusable, as with
     * Envoy, instead of being closed after every local reply.
     */
    private static boolean hasBody(HttpServerRequest req) {
        String length = req.headers().get("content-length");
        return req.headers().contains("transfer-encoding") || (length != null && !length.trim().equals("0"));
    }

    /**
     * Vert.x keeps an HTTP/1 connection open until the request ends, whatever the response said (it ignores a
     * Connection: close set on a response); a client that stopped sending its body would wait on it forever. Envoy
     * closes such a connection after flushing the reply, with its delayed close (delayed_close_timeout, 1s) so that
     * the client can still read the reply. Vert.x's graceful shutdown does the same: the connection closes as soon
     * as this exchange is complete (the rest of the body drained), at the latest after the timeout.
     */
    private static void delayedClose(HttpConnection conn) {
        if (conn != null) {
            conn.shutdown(DELAYED_CLOSE_MS, TimeUnit.MILLISECONDS);
        }
    }
}

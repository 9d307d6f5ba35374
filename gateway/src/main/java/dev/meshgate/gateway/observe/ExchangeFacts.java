package dev.meshgate.gateway.observe;

import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.upstream.forward.GrpcFrameCounter;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;

/**
 * Envoy's view of a finished exchange, read from the Vert.x request/response and the {@link Exchange}. Only
 * valid on the request's event loop, at or after completion.
 */
final class ExchangeFacts {

    static final int NO_GRPC_STATUS = -1;

    private ExchangeFacts() {
    }

    /**
     * Istio's request_protocol: grpc for {@code application/grpc} and {@code application/grpc+<codec>}
     * (Envoy's isGrpcRequestHeaders, which istio_stats uses), else http. gRPC-Web is http: Meshgate has no grpc_web
     * filter to turn it into gRPC, as Istio's HTTP gateway ports have none.
     */
    static boolean isGrpc(HttpServerRequest req) {
        return GrpcFrameCounter.isGrpcContentType(req.getHeader("content-type"));
    }

    /**
     * The gRPC status as Envoy's Grpc::Common::getGrpcStatus sees it: trailers, then headers (trailers-only
     * response), else mapped from the HTTP status (Envoy's httpToGrpcStatus); none when nothing was sent.
     */
    static int grpcStatus(HttpServerResponse resp, int httpStatus) {
        String s = resp.headers().get("grpc-status");
        if (s == null && resp.ended()) {
            s = resp.trailers().get("grpc-status");
        }
        if (s != null) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                return 2;
            }
        }
        if (httpStatus == 0) {
            return NO_GRPC_STATUS;
        }
        return httpToGrpcStatus(httpStatus);
    }

    static int httpToGrpcStatus(int http) {
        return switch (http) {
            case 400 -> 13; // INTERNAL
            case 401 -> 16; // UNAUTHENTICATED
            case 403 -> 7;  // PERMISSION_DENIED
            case 404 -> 12; // UNIMPLEMENTED
            case 429, 502, 503, 504 -> 14; // UNAVAILABLE
            default -> 2;   // UNKNOWN
        };
    }

    /** Envoy %PROTOCOL%. */
    static String protocol(HttpVersion v) {
        if (v == null) {
            return null;
        }
        return switch (v) {
            case HTTP_1_0 -> "HTTP/1.0";
            case HTTP_1_1 -> "HTTP/1.1";
            case HTTP_2 -> "HTTP/2";
            default -> v.alpnName();
        };
    }

    /** ip:port, IPv6 in brackets, as Envoy prints addresses; null when unknown. */
    static String address(SocketAddress a) {
        if (a == null) {
            return null;
        }
        String ip = a.hostAddress();
        if (ip == null || ip.isEmpty()) {
            ip = a.host();
        }
        if (ip == null) {
            return a.toString();
        }
        return ip.indexOf(':') >= 0 ? "[" + ip + "]:" + a.port() : ip + ":" + a.port();
    }

    /** The TLS SNI the client sent; null on plaintext or without SNI. */
    static String serverName(HttpServerRequest req) {
        if (!req.isSSL()) {
            return null;
        }
        HttpConnection c = req.connection();
        String sni = c == null ? null : c.indicatedServerName();
        return sni == null || sni.isEmpty() ? null : sni;
    }

    /** Envoy %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%: the response header if set, else what the forwarder noted. */
    static String upstreamServiceTime(Exchange ex, HttpServerResponse resp) {
        String h = resp.headers().get("x-envoy-upstream-service-time");
        if (h != null) {
            return h;
        }
        long ms = ex.upstreamServiceTimeMillis();
        return ms < 0 ? null : Long.toString(ms);
    }

    /** A request header as the upstream saw it (x-forwarded-for appended, x-request-id generated), else raw. */
    static String upstreamOrRequestHeader(Exchange ex, String name) {
        String v = ex.upstreamHeaders() == null ? null : ex.upstreamHeaders().get(name);
        return v != null ? v : ex.request().getHeader(name);
    }
}

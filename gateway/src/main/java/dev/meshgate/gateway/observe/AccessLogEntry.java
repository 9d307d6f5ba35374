package dev.meshgate.gateway.observe;

import dev.meshgate.gateway.exchange.Exchange;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;

/**
 * The values of Istio's default access-log operators for one exchange, captured on the event loop (references
 * and numbers only) so that formatting can happen on the writer thread. Null means "not available" ("-" in TEXT,
 * null in JSON).
 */
public record AccessLogEntry(
        long startEpochMillis,
        String method,
        String path,
        String protocol,
        int responseCode,
        String responseFlags,
        String responseCodeDetails,
        String connectionTerminationDetails,
        String upstreamTransportFailureReason,
        long bytesReceived,
        long bytesSent,
        long durationMillis,
        String upstreamServiceTime,
        String xForwardedFor,
        String userAgent,
        String requestId,
        String authority,
        String upstreamHost,
        String upstreamCluster,
        String upstreamLocalAddress,
        String downstreamLocalAddress,
        String downstreamRemoteAddress,
        String requestedServerName,
        String routeName) {

    static AccessLogEntry of(Exchange ex, int statusCode) {
        HttpServerRequest req = ex.request();
        HttpServerResponse resp = req.response();
        String authority = ex.authority();
        return new AccessLogEntry(
                ex.startEpochMillis(),
                req.method() == null ? null : req.method().name(),
                ex.originalPath(),
                ExchangeFacts.protocol(req.version()),
                statusCode,
                ex.flagsString(),
                ex.responseCodeDetails(),
                ex.connectionTerminationDetails(),
                ex.upstreamTransportFailureReason(),
                req.bytesRead(),
                resp.bytesWritten(),
                ex.durationMillis(),
                ExchangeFacts.upstreamServiceTime(ex, resp),
                ExchangeFacts.upstreamOrRequestHeader(ex, "x-forwarded-for"),
                req.getHeader("user-agent"),
                ExchangeFacts.upstreamOrRequestHeader(ex, "x-request-id"),
                authority == null || authority.isEmpty() ? null : authority,
                ex.upstreamHost(),
                ex.upstreamCluster(),
                ex.upstreamLocalAddress(),
                ExchangeFacts.address(req.localAddress()),
                ExchangeFacts.address(req.remoteAddress()),
                ExchangeFacts.serverName(req),
                ex.routeName());
    }

    /**
     * A layer-4 connection as Envoy's TCP proxy logs it with Istio's format: no method, path, protocol or request
     * headers ("-"), response code 0, bytes and duration of the whole connection.
     *
     * @param responseFlags {@code %RESPONSE_FLAGS%}, null or "-" for none
     */
    public static AccessLogEntry tcp(long startEpochMillis, String responseFlags, String transportFailureReason,
                                     long bytesReceived, long bytesSent, long durationMillis, String upstreamHost,
                                     String upstreamCluster, SocketAddress upstreamLocalAddress,
                                     SocketAddress downstreamLocalAddress, SocketAddress downstreamRemoteAddress,
                                     String requestedServerName) {
        return new AccessLogEntry(startEpochMillis, null, null, null, 0,
                responseFlags == null || responseFlags.isEmpty() ? "-" : responseFlags, null, null,
                transportFailureReason, bytesReceived, bytesSent, durationMillis, null, null, null, null, null,
                upstreamHost, upstreamCluster, ExchangeFacts.address(upstreamLocalAddress),
                ExchangeFacts.address(downstreamLocalAddress), ExchangeFacts.address(downstreamRemoteAddress),
                requestedServerName, null);
    }
}

package dev.meshgate.gateway.exchange;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;

import java.util.EnumSet;
import java.util.Set;

/**
 * The state of one downstream request as it passes routing and forwarding. Routing fills in the outgoing
 * request (path, authority, headers) and the response header operations; forwarding fills in the upstream
 * fields. The access log and metrics read it once the response is done. Confined to the request's event loop.
 */
public final class Exchange {

    private final HttpServerRequest request;
    private final long startNanos;
    private final int listenerPort;
    private final EnumSet<ResponseFlag> flags = EnumSet.noneOf(ResponseFlag.class);

    /** Outgoing :path (normalized, maybe rewritten), with the query string. */
    private String path;
    /** Outgoing :authority / Host. */
    private String authority;
    /** Outgoing request headers, already cleaned of hop-by-hop headers; routing applies its header ops here. */
    private final MultiMap upstreamHeaders;
    /** Response header operations to run on the upstream (or local) response, route-level first. */
    private final java.util.List<HeaderOps> responseHeaderOps = new java.util.ArrayList<>(2);
    /** Route name as Istio builds it: {@code <route.name>.<match.name>}; null when no route matched. */
    private String routeName;
    /** {@code outbound|port|subset|host}; null until a cluster is picked. */
    private String upstreamCluster;
    /** host:port of the upstream endpoint used last; null when none was reached. */
    private String upstreamHost;
    /** Envoy %RESPONSE_CODE_DETAILS% such as {@code route_not_found} or {@code via_upstream}. */
    private String responseCodeDetails;
    /** Wall clock at construction, for %START_TIME%; {@link #startNanos} measures the duration. */
    private final long startEpochMillis;
    /** The :path routing saw (normalized, before any rewrite): %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%. */
    private final String originalPath;
    /** Envoy %CONNECTION_TERMINATION_DETAILS%; null = "-". */
    private String connectionTerminationDetails;
    /** Envoy %UPSTREAM_TRANSPORT_FAILURE_REASON%; null = "-". */
    private String upstreamTransportFailureReason;
    /** Envoy %UPSTREAM_LOCAL_ADDRESS% (ip:port of our side of the upstream connection); null = "-". */
    private String upstreamLocalAddress;
    /** Milliseconds the upstream took to answer (x-envoy-upstream-service-time); -1 = unknown. */
    private long upstreamServiceTimeMillis = -1;
    /** System.nanoTime() when the downstream response finished (ended or connection closed); 0 while open. */
    private long endNanos;
    /** gRPC messages seen client to server / server to client, when the forwarder counts them. */
    private long grpcRequestMessages;
    private long grpcResponseMessages;

    public Exchange(HttpServerRequest request, int listenerPort, String path, String authority, MultiMap upstreamHeaders) {
        this.request = request;
        this.startNanos = System.nanoTime();
        this.listenerPort = listenerPort;
        this.path = path;
        this.authority = authority;
        this.upstreamHeaders = upstreamHeaders;
        this.startEpochMillis = System.currentTimeMillis();
        this.originalPath = path;
    }

    /** Marks the downstream response finished; the first call wins. Called by the exchange tracker. */
    public void markEnded(long nanos) {
        if (endNanos == 0) {
            endNanos = nanos == 0 ? 1 : nanos;
        }
    }

    public boolean ended() {
        return endNanos != 0;
    }

    /** Envoy %DURATION%: start to the end of the downstream response, in ms; up to now while still open. */
    public long durationMillis() {
        long end = endNanos != 0 ? endNanos : System.nanoTime();
        return Math.max(0, (end - startNanos) / 1_000_000L);
    }

    /** As {@link #durationMillis()} with sub-millisecond precision, for histograms. */
    public double durationMillisExact() {
        long end = endNanos != 0 ? endNanos : System.nanoTime();
        return Math.max(0, end - startNanos) / 1_000_000.0;
    }

    public long startEpochMillis() {
        return startEpochMillis;
    }

    public String originalPath() {
        return originalPath;
    }

    public String connectionTerminationDetails() {
        return connectionTerminationDetails;
    }

    public void connectionTerminationDetails(String d) {
        this.connectionTerminationDetails = d;
    }

    public String upstreamTransportFailureReason() {
        return upstreamTransportFailureReason;
    }

    public void upstreamTransportFailureReason(String r) {
        this.upstreamTransportFailureReason = r;
    }

    public String upstreamLocalAddress() {
        return upstreamLocalAddress;
    }

    public void upstreamLocalAddress(String a) {
        this.upstreamLocalAddress = a;
    }

    public long upstreamServiceTimeMillis() {
        return upstreamServiceTimeMillis;
    }

    public void upstreamServiceTimeMillis(long ms) {
        this.upstreamServiceTimeMillis = ms;
    }

    public long grpcRequestMessages() {
        return grpcRequestMessages;
    }

    public void addGrpcRequestMessages(long n) {
        this.grpcRequestMessages += n;
    }

    public long grpcResponseMessages() {
        return grpcResponseMessages;
    }

    public void addGrpcResponseMessages(long n) {
        this.grpcResponseMessages += n;
    }

    public HttpServerRequest request() {
        return request;
    }

    public long startNanos() {
        return startNanos;
    }

    public int listenerPort() {
        return listenerPort;
    }

    public String path() {
        return path;
    }

    public void path(String p) {
        this.path = p;
    }

    public String authority() {
        return authority;
    }

    public void authority(String a) {
        this.authority = a;
    }

    public MultiMap upstreamHeaders() {
        return upstreamHeaders;
    }

    public String routeName() {
        return routeName;
    }

    public void routeName(String n) {
        this.routeName = n;
    }

    public String upstreamCluster() {
        return upstreamCluster;
    }

    public void upstreamCluster(String c) {
        this.upstreamCluster = c;
    }

    public String upstreamHost() {
        return upstreamHost;
    }

    public void upstreamHost(String h) {
        this.upstreamHost = h;
    }

    public String responseCodeDetails() {
        return responseCodeDetails;
    }

    public void responseCodeDetails(String d) {
        this.responseCodeDetails = d;
    }

    /** Adds response header ops; they run in the order added, when the response headers are written. */
    public void addResponseHeaderOps(HeaderOps ops) {
        if (!ops.isEmpty()) {
            responseHeaderOps.add(ops);
        }
    }

    public java.util.List<HeaderOps> responseHeaderOps() {
        return responseHeaderOps;
    }

    public void flag(ResponseFlag f) {
        flags.add(f);
    }

    public Set<ResponseFlag> flags() {
        return flags;
    }

    /** Envoy's rendering: flags joined by ',' or '-' when there are none. */
    public String flagsString() {
        if (flags.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        for (ResponseFlag f : flags) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(f.name());
        }
        return sb.toString();
    }
}

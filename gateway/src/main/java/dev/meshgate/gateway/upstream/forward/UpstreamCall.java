package dev.meshgate.gateway.upstream.forward;

import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.exchange.HeaderOps;
import dev.meshgate.gateway.exchange.ResponseFlag;
import dev.meshgate.gateway.route.ForwardAction;
import dev.meshgate.gateway.route.RetryPolicy;
import dev.meshgate.gateway.upstream.cluster.ClientProfile;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.ClusterStats;
import dev.meshgate.gateway.upstream.cluster.Host;
import dev.meshgate.gateway.upstream.cluster.OutlierDetector;
import dev.meshgate.gateway.upstream.cluster.PoolLimits;
import dev.meshgate.gateway.upstream.cluster.TlsOrigination;
import io.vertx.core.net.SocketAddress;
import dev.meshgate.gateway.upstream.cluster.UpstreamProtocol;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One downstream request on its way through the upstream side: tries (with retries, backoff and timeouts), the
 * request body streamed with back-pressure and kept in a bounded replay buffer, the response streamed back with
 * its trailers. Confined to the request's event loop, like the {@link Exchange}.
 */
final class UpstreamCall {

    static final String ATTEMPT_COUNT = "x-envoy-attempt-count";
    static final String SERVICE_TIME = "x-envoy-upstream-service-time";

    private final Vertx vertx;
    private final UpstreamClients clients;
    private final Exchange ex;
    private final HttpServerRequest down;
    private final HttpServerResponse downResp;
    private final ForwardAction action;
    private final RetryPolicy retry;
    private final Cluster cluster;
    /** The upstream protocol of this request (useClientProtocol: the downstream's) and its client. */
    private final UpstreamProtocol protocol;
    private final ClientProfile profile;
    private final Mirrors mirrors;
    private final int replayLimit;
    private final Backoff backoff;
    private final Long hash;
    private final List<String> setCookies;
    /** Counts request-direction gRPC messages; null for everything that is not gRPC (the common case). */
    private final GrpcFrameCounter grpcRequestFrames;

    /** Every body chunk consumed so far, while the total fits the replay limit. */
    private List<Buffer> replay = new ArrayList<>();
    /** Chunks consumed but not written to any attempt, once the body no longer fits the replay buffer. */
    private List<Buffer> pending;
    private long consumedBytes;
    private long unsentBytes;
    private boolean replayable = true;
    private boolean downEnded;
    private boolean downPaused = true;

    private Attempt current;
    private int tries;
    private Set<Host> tried;
    private boolean committed;
    private boolean finished;
    private long routeTimer = -1;
    /** The event loop this call is confined to (a freed breaker slot may be handed over from another loop). */
    private final Context context;
    /** Non-null while the call waits for a connection slot (http1MaxPendingRequests). */
    private ClusterStats.Waiter waiter;
    /** Envoy holds a retry-budget slot from a retry decision to the next decision or the end of the request. */
    private boolean holdsRetrySlot;

    UpstreamCall(Vertx vertx, UpstreamClients clients, ForwardOptions options, Exchange ex, ForwardAction action,
                 Cluster cluster, Mirrors mirrors) {
        this.vertx = vertx;
        this.clients = clients;
        this.ex = ex;
        this.down = ex.request();
        this.downResp = down.response();
        this.action = action;
        this.cluster = cluster;
        this.profile = cluster.clientProfile(down.version() == HttpVersion.HTTP_2);
        this.protocol = profile.protocol();
        this.mirrors = mirrors;
        this.replayLimit = options.replayBufferBytes();
        this.context = vertx.getOrCreateContext();
        // Envoy's grpc_stats filter decides on the downstream request's headers, before route header ops
        this.grpcRequestFrames = GrpcFrameCounter.isGrpcContentType(down.getHeader("content-type"))
                ? new GrpcFrameCounter() : null;
        this.retry = cluster.hashPolicy() != null
                // Istio's default policy drops the previous-hosts predicate with consistent hashing
                ? withoutHostAvoidance(action.retries()) : action.retries();
        this.backoff = new Backoff(retry.backoffBase().toMillis());
        if (cluster.hashPolicy() != null) {
            List<String> cookies = new ArrayList<>(1);
            this.hash = cluster.hashPolicy().hash(ex, cookies::add);
            this.setCookies = cookies;
        } else {
            this.hash = null;
            this.setCookies = List.of();
        }
    }

    private static RetryPolicy withoutHostAvoidance(RetryPolicy p) {
        return p.ignorePreviousHosts() ? new RetryPolicy(p.attempts(), p.perTryTimeout(), p.retryOn(),
                p.retriableStatusCodes(), p.backoffBase(), false) : p;
    }

    void start() {
        String expect = ex.upstreamHeaders().get("expect");
        if (expect != null && expect.equalsIgnoreCase("100-continue")) {
            // Envoy's default (proxy_100_continue off): answer 100 locally and do not forward the expectation
            ex.upstreamHeaders().remove("expect");
            if (down.version() != HttpVersion.HTTP_2 && !downResp.headWritten()) {
                downResp.writeContinue();
            }
        }
        down.handler(this::onBody);
        down.endHandler(v -> onDownEnd());
        down.exceptionHandler(t -> onDownstreamGone());
        downResp.closeHandler(v -> onDownstreamGone());
        startAttempt();
        // read ahead while connecting, up to the replay limit
        updateFlow();
    }

    // ---------------------------------------------------------------- downstream body

    /**
     * True while the request body still goes to a try whose response already completed (an upstream may answer
     * before it has read the whole request; its request must still be ended, not left half-sent).
     */
    private boolean bodyStillForwarded() {
        return current != null && current.req != null && !current.wasReset;
    }

    private void onBody(Buffer chunk) {
        if (grpcRequestFrames != null) {
            // every chunk read from downstream, once (replays to retries are not new messages)
            ex.addGrpcRequestMessages(grpcRequestFrames.count(chunk));
        }
        if (finished) {
            if (bodyStillForwarded()) {
                current.req.write(chunk);
                updateFlowAfterResponse();
            }
            return;
        }
        consumedBytes += chunk.length();
        boolean writable = current != null && current.req != null;
        if (replayable) {
            if (consumedBytes <= replayLimit) {
                replay.add(chunk);
            } else {
                replayable = false;
                if (!writable) {
                    pending = replay;
                } else {
                    pending = new ArrayList<>();
                }
                replay = null;
            }
        }
        if (writable) {
            current.req.write(chunk);
        } else {
            unsentBytes += chunk.length();
            if (!replayable) {
                pending.add(chunk);
            }
        }
        updateFlow();
    }

    private void onDownEnd() {
        if (finished) {
            downEnded = true;
            if (bodyStillForwarded()) {
                current.req.end();
            }
            return;
        }
        downEnded = true;
        if (action.timeout() != null && !action.timeout().isZero()) {
            routeTimer = vertx.setTimer(action.timeout().toMillis(), id -> onRouteTimeout());
        }
        if (mirrors != null) {
            mirrors.send(ex, replayable ? replay : null);
        }
        if (current != null && current.req != null) {
            current.req.end();
            current.armPerTryTimer();
        }
    }

    /** Pauses the downstream when the current attempt cannot take more, or nobody can and the read-ahead is full. */
    private void updateFlowAfterResponse() {
        if (current.req.writeQueueFull() && !downPaused) {
            downPaused = true;
            down.pause();
        }
    }

    private void updateFlow() {
        boolean pause;
        if (downEnded) {
            return;
        } else if (finished) {
            pause = bodyStillForwarded() && current.req.writeQueueFull();
        } else if (current != null && current.req != null) {
            pause = current.req.writeQueueFull();
        } else {
            pause = unsentBytes >= Math.max(replayLimit, 1);
        }
        if (pause != downPaused) {
            downPaused = pause;
            if (pause) {
                down.pause();
            } else {
                down.resume();
            }
        }
    }

    private boolean canReplay() {
        return consumedBytes == 0 || replayable;
    }

    // ---------------------------------------------------------------- attempts

    /** Requests in flight that the breakers allow: one HTTP/1.1 request per connection, else http2MaxRequests. */
    private int slotLimit() {
        PoolLimits pool = cluster.policy().pool();
        return protocol == UpstreamProtocol.HTTP1 ? Math.min(pool.maxConnections(), pool.maxRequests())
                : pool.maxRequests();
    }

    /**
     * Envoy's circuit breakers: a slot when one is free; else wait as a pending request when connections (not
     * requests) are exhausted and the pending queue has room; else 503 UO at once.
     */
    private void startAttempt() {
        if (finished) {
            return;
        }
        ClusterStats stats = cluster.stats();
        int limit = slotLimit();
        if (stats.tryAcquire(limit)) {
            dispatch();
            return;
        }
        PoolLimits pool = cluster.policy().pool();
        boolean connectionsExhausted = protocol == UpstreamProtocol.HTTP1
                && pool.maxConnections() <= pool.maxRequests();
        if (connectionsExhausted) {
            waiter = stats.enqueue(pool.maxPendingRequests(), limit,
                    () -> context.runOnContext(v -> onSlotGranted()));
            if (waiter != null) {
                updateFlow();
                return;
            }
        }
        stats.overflows().increment();
        fail(() -> LocalReply.overflow(ex));
    }

    private void onSlotGranted() {
        waiter = null;
        if (finished) {
            cluster.stats().release(slotLimit());
            return;
        }
        dispatch();
    }

    /**
     * Takes (or keeps) a retry slot; false means the retry overflows http.maxRetries, or the retryBudget computed
     * from the requests in flight and pending (flag UO, Envoy's upstream_rq_retry_overflow).
     */
    private boolean takeRetrySlot() {
        ClusterStats stats = cluster.stats();
        if (holdsRetrySlot) {
            stats.activeRetries().decrementAndGet();
            holdsRetrySlot = false;
        }
        PoolLimits pool = cluster.policy().pool();
        int limit = pool.retryBudget() == null ? pool.maxRetries()
                : pool.retryLimit(stats.activeRequests().get() + stats.pendingRequests().get());
        if (stats.tryAcquireRetry(limit)) {
            holdsRetrySlot = true;
            return true;
        }
        stats.overflows().increment();
        stats.retryOverflows().increment();
        ex.flag(ResponseFlag.UO);
        return false;
    }

    private void dispatch() {
        Set<Host> exclude = retry.ignorePreviousHosts() && tried != null ? tried : Set.of();
        Set<Host> ejected = OutlierDetector.excluded(cluster);
        if (!ejected.isEmpty()) {
            if (ejected.size() >= cluster.hosts().size()) {
                cluster.stats().release(slotLimit());
                fail(() -> LocalReply.noHealthyUpstream(ex));
                return;
            }
            Set<Host> both = new HashSet<>(exclude);
            both.addAll(ejected);
            exclude = both;
        }
        Host host = cluster.loadBalancer().choose(hash, exclude);
        if (host != null && ejected.contains(host)) {
            // the balancer fell back to an excluded host (or hashes ignore exclusions): never an ejected one
            host = healthyHost(ejected);
        }
        if (host == null) {
            cluster.stats().release(slotLimit());
            fail(() -> LocalReply.noHealthyUpstream(ex));
            return;
        }
        if (tried == null) {
            tried = new HashSet<>(4);
        }
        tried.add(host);
        tries++;
        Attempt a = new Attempt(host, tries);
        current = a;
        ex.upstreamHost(host.hostPort());
        host.stats().requestStarted();
        RequestOptions opts = new RequestOptions()
                .setHost(host.address())
                .setPort(host.port())
                .setMethod(down.method())
                .setURI(ex.path());
        TlsOrigination tls = cluster.policy().tls();
        if (tls != null) {
            // connect to the endpoint, but present (SNI) and verify the origination name
            opts.setHost(sniName(tls, host)).setServer(SocketAddress.inetSocketAddress(host.port(), host.address()));
        }
        io.vertx.core.http.HttpClient client;
        try {
            client = clients.client(profile);
        } catch (RuntimeException shuttingDownOrBadTls) {
            a.onConnected(io.vertx.core.Future.failedFuture(shuttingDownOrBadTls));
            return;
        }
        client.request(opts).onComplete(a::onConnected);
    }

    /** tls.sni, else the request's authority without port (Istio's auto SNI), else the endpoint address. */
    private String sniName(TlsOrigination tls, Host host) {
        if (tls.sni() != null) {
            return tls.sni();
        }
        String authority = ex.authority();
        if (authority != null && !authority.isEmpty()) {
            HostAndPort hp = HostAndPort.parseAuthority(authority, -1);
            if (hp != null) {
                return hp.host();
            }
        }
        return host.address();
    }

    private Host healthyHost(Set<Host> ejected) {
        Host fallback = null;
        for (Host h : cluster.hosts()) {
            if (!ejected.contains(h)) {
                if (tried == null || !tried.contains(h)) {
                    return h;
                }
                fallback = fallback == null ? h : fallback;
            }
        }
        return fallback;
    }

    private void retryLater() {
        current = null;
        updateFlow();
        long delay = backoff.nextDelayMs();
        if (delay <= 0) {
            startAttempt();
        } else {
            vertx.setTimer(delay, id -> startAttempt());
        }
    }

    private boolean retriesLeft() {
        return tries <= retry.attempts();
    }

    private boolean mayRetry() {
        return !finished && !committed && retriesLeft() && canReplay();
    }

    private void onRouteTimeout() {
        routeTimer = -1;
        if (finished) {
            return;
        }
        if (current != null) {
            current.abandon();
        }
        if (committed) {
            ex.flag(ResponseFlag.UT);
            ex.responseCodeDetails("upstream_response_timeout");
            abortDownstream();
        } else {
            fail(() -> LocalReply.timeout(ex, "upstream_response_timeout"));
        }
    }

    private void onDownstreamGone() {
        if (finished) {
            return;
        }
        if (!downResp.ended()) {
            ex.flag(ResponseFlag.DC);
            ex.responseCodeDetails("downstream_remote_disconnect");
        }
        if (current != null) {
            current.abandon();
        }
        finish();
    }

    private void fail(Runnable reply) {
        if (finished) {
            return;
        }
        reply.run();
        finish();
    }

    private void abortDownstream() {
        // finished first: an HTTP/2 stream reset runs the downstream close handlers at once, which would otherwise
        // take our own reset for a downstream disconnect (DC, downstream_remote_disconnect)
        finish();
        downResp.reset();
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (waiter != null) {
            // if the slot was already handed over, onSlotGranted gives it back
            waiter.cancel();
            waiter = null;
        }
        if (holdsRetrySlot) {
            holdsRetrySlot = false;
            cluster.stats().activeRetries().decrementAndGet();
        }
        if (routeTimer >= 0) {
            vertx.cancelTimer(routeTimer);
            routeTimer = -1;
        }
        replay = null;
        pending = null;
        if (!downEnded && !bodyStillForwarded()) {
            // nobody reads the rest of the body any more: let it drain instead of stalling the connection
            down.handler(null);
            down.resume();
        }
    }

    // ---------------------------------------------------------------- one try

    private final class Attempt {

        final Host host;
        final int number;
        final long startNanos = System.nanoTime();
        HttpClientRequest req;
        HttpClientResponse resp;
        long perTryTimer = -1;
        boolean done;
        boolean wasReset;
        /** The connection carried earlier requests (an idle keep-alive connection the upstream may have closed). */
        boolean reused;

        Attempt(Host host, int number) {
            this.host = host;
            this.number = number;
        }

        void onConnected(AsyncResult<HttpClientRequest> ar) {
            if (done) {
                if (ar.succeeded()) {
                    ar.result().reset();
                }
                return;
            }
            if (ar.failed()) {
                onFailure(ResetKind.ofConnect(ar.cause()), false);
                return;
            }
            req = ar.result();
            req.exceptionHandler(t -> { });
            TlsOrigination tls = cluster.policy().tls();
            if (tls != null && !tls.insecureSkipVerify() && !tls.subjectAltNames().isEmpty()
                    && !PeerNames.matches(req.connection(), tls.subjectAltNames())) {
                ex.upstreamTransportFailureReason("TLS error: certificate does not match subjectAltNames "
                        + tls.subjectAltNames());
                HttpClientRequest refused = req;
                req = null;
                refused.reset();
                onFailure(ResetKind.CONNECTION_FAILURE, false);
                return;
            }
            int used = clients.countRequest(req.connection());
            reused = used > 1;
            MultiMap h = req.headers();
            for (var e : ex.upstreamHeaders()) {
                h.add(e.getKey(), e.getValue());
            }
            h.remove("host");
            h.remove("transfer-encoding");
            h.set(ATTEMPT_COUNT, Integer.toString(number));
            int perConnection = cluster.policy().pool().maxRequestsPerConnection();
            if (perConnection > 0 && used >= perConnection && protocol == UpstreamProtocol.HTTP1) {
                // maxRequestsPerConnection: the last request on this connection; the client closes it afterwards
                h.set("connection", "close");
            }
            HostAndPort authority = ex.authority() == null ? null : HostAndPort.parseAuthority(ex.authority(), -1);
            if (authority != null) {
                req.authority(authority);
            }
            // Vert.x wants chunked (a no-op on HTTP/2) before body writes without a content-length
            if (!h.contains("content-length") && bodyExpected()) {
                req.setChunked(true);
            }
            req.response().onComplete(this::onResponse);
            List<Buffer> toSend = replayable ? replay : pending;
            boolean wrote = false;
            if (toSend != null) {
                for (Buffer b : toSend) {
                    req.write(b);
                    wrote = true;
                }
            }
            if (!replayable) {
                pending = null;
            }
            unsentBytes = 0;
            if (downEnded) {
                req.end();
                armPerTryTimer();
            } else {
                if (!wrote) {
                    // let the upstream see the request now, even before the first body chunk (streaming RPCs)
                    req.sendHead();
                }
                req.drainHandler(v -> {
                    if (current == this) {
                        updateFlow();
                    }
                });
                updateFlow();
            }
        }

        private boolean bodyExpected() {
            if (down.version() != HttpVersion.HTTP_2) {
                String te = down.headers().get("transfer-encoding");
                return te != null && te.toLowerCase().contains("chunked");
            }
            return !downEnded || consumedBytes > 0;
        }

        void armPerTryTimer() {
            if (retry.perTryTimeout() != null && !retry.perTryTimeout().isZero() && perTryTimer < 0 && !done) {
                perTryTimer = vertx.setTimer(retry.perTryTimeout().toMillis(), id -> onPerTryTimeout());
            }
        }

        private void onPerTryTimeout() {
            perTryTimer = -1;
            if (done || finished) {
                return;
            }
            if (committed) {
                abandon();
                ex.flag(ResponseFlag.UT);
                ex.responseCodeDetails("upstream_per_try_timeout");
                abortDownstream();
                return;
            }
            onFailure(ResetKind.PER_TRY_TIMEOUT, true);
        }

        private void onResponse(AsyncResult<HttpClientResponse> ar) {
            if (done) {
                return;
            }
            if (ar.failed()) {
                ResetKind kind = ResetKind.ofStream(ar.cause());
                // A reused keep-alive connection closed without one response byte: the upstream closed it as idle
                // while the request was on its way (istio-api.md §4 item 1), so it never reached the application.
                // Counted as "before request" for retryOn reset-before-request.
                boolean reachedUpstream = !(reused && kind == ResetKind.CONNECTION_TERMINATION);
                onFailure(kind, reachedUpstream);
                return;
            }
            resp = ar.result();
            resp.exceptionHandler(t -> { });
            int status = resp.statusCode();
            OutlierDetector.onResponse(cluster, host, status);
            if (RetryDecider.onResponse(retry, status, resp.headers().get("grpc-status"))) {
                if (mayRetry() && takeRetrySlot()) {
                    end(true);
                    retryLater();
                    return;
                }
                if (!retriesLeft()) {
                    ex.flag(ResponseFlag.URX);
                }
            }
            commit();
        }

        /** A failure before any response header: retry or answer with Envoy's local reply. */
        private void onFailure(ResetKind kind, boolean started) {
            end(true);
            OutlierDetector.onLocalOriginFailure(cluster, host);
            if (committed) {
                ex.flag(kind == ResetKind.CONNECTION_TERMINATION ? ResponseFlag.UC : ResponseFlag.UR);
                ex.responseCodeDetails("upstream_reset_after_response_started{" + kind.detail + "}");
                abortDownstream();
                return;
            }
            if (RetryDecider.onReset(retry, kind, started)) {
                if (mayRetry() && takeRetrySlot()) {
                    retryLater();
                    return;
                }
                if (!retriesLeft()) {
                    ex.flag(ResponseFlag.URX);
                }
            }
            if (kind == ResetKind.PER_TRY_TIMEOUT) {
                fail(() -> LocalReply.timeout(ex, "upstream_per_try_timeout"));
            } else {
                fail(() -> LocalReply.reset(ex, kind, tries > 1));
            }
        }

        private void commit() {
            committed = true;
            ex.responseCodeDetails("via_upstream");
            downResp.setStatusCode(resp.statusCode());
            MultiMap out = downResp.headers();
            HopByHop.copyResponseHeaders(resp.headers(), out);
            for (String c : setCookies) {
                out.add("set-cookie", c);
            }
            out.set(SERVICE_TIME, Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos)));
            for (HeaderOps ops : ex.responseHeaderOps()) {
                ops.applyTo(out);
            }
            if (down.version() != HttpVersion.HTTP_2 && !out.contains("content-length") && mayHaveBody()) {
                downResp.setChunked(down.version() == HttpVersion.HTTP_1_1);
            }
            GrpcFrameCounter grpcResponseFrames =
                    grpcRequestFrames != null && isGrpcResponse() ? new GrpcFrameCounter() : null;
            resp.handler(chunk -> {
                if (grpcResponseFrames != null) {
                    ex.addGrpcResponseMessages(grpcResponseFrames.count(chunk));
                }
                downResp.write(chunk);
                if (downResp.writeQueueFull()) {
                    resp.pause();
                    downResp.drainHandler(v -> resp.resume());
                }
            });
            resp.exceptionHandler(t -> {
                if (!done) {
                    onFailure(ResetKind.ofStream(t), true);
                }
            });
            resp.endHandler(v -> {
                if (done) {
                    return;
                }
                MultiMap trailers = resp.trailers();
                if (trailers != null && !trailers.isEmpty()) {
                    downResp.trailers().addAll(trailers);
                }
                end(false);
                downResp.end();
                finish();
            });
        }

        /**
         * Envoy's {@code Grpc::Common::isGrpcResponseHeaders} for a response with a body: 200 and a gRPC content
         * type (a trailers-only response has no messages to count).
         */
        private boolean isGrpcResponse() {
            return resp.statusCode() == 200 && GrpcFrameCounter.isGrpcContentType(resp.getHeader("content-type"));
        }

        private boolean mayHaveBody() {
            int s = resp.statusCode();
            return down.method() != HttpMethod.HEAD && s != 204 && s != 304 && s >= 200;
        }

        /** The downstream went away or a timeout fired: cancel this try. */
        void abandon() {
            if (!done) {
                end(true);
            }
        }

        /** Ends this try once; {@code reset} cancels the upstream stream (and with HTTP/1.1 its connection). */
        private void end(boolean reset) {
            if (done) {
                return;
            }
            done = true;
            host.stats().requestFinished();
            cluster.stats().release(slotLimit());
            if (perTryTimer >= 0) {
                vertx.cancelTimer(perTryTimer);
                perTryTimer = -1;
            }
            if (reset && req != null) {
                wasReset = true;
                req.reset();
            }
        }
    }
}

package dev.meshgate.gateway.listener;

import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.observe.ExchangeTracker;
import dev.meshgate.gateway.exchange.HeaderOps;
import dev.meshgate.gateway.exchange.ResponseFlag;
import dev.meshgate.gateway.route.CompiledRoute;
import dev.meshgate.gateway.route.Cors;
import dev.meshgate.gateway.route.Fault;
import dev.meshgate.gateway.route.HostNames;
import dev.meshgate.gateway.route.ListenerKey;
import dev.meshgate.gateway.route.ListenerRoutes;
import dev.meshgate.gateway.route.PathNormalizer;
import dev.meshgate.gateway.route.RequestFacts;
import dev.meshgate.gateway.route.RouteAction;
import dev.meshgate.gateway.route.RouteConfig;
import dev.meshgate.gateway.route.VirtualHost;
import dev.meshgate.gateway.route.WeightedDestination;
import dev.meshgate.gateway.upstream.Forwarder;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The per-request path of one listener, in Envoy's filter order: protocol checks, path normalization, virtual
 * host and route selection, fault, CORS, then the route's action (redirect, direct response, or rewrite plus
 * header ops and a weighted pick handed to the {@link Forwarder}). The route table is read once per request from
 * the runtime's volatile reference, so a request finishes on the table it started with.
 */
public final class RequestHandler implements Handler<HttpServerRequest> {

    /** Envoy's default delayed_close_timeout: how long a closing connection waits for the client to read. */
    private static final long CLOSE_AFTER_REPLY_MS = 1000;

    private final Vertx vertx;
    private final ListenerKey key;
    private final Supplier<RouteConfig> config;
    private final Supplier<Forwarder> forwarder;
    private final boolean acceptHttp10;
    private final RouteScope scope;
    /** Metrics, access log and in-flight count; null when nothing observes (tests, tools). */
    private final ExchangeTracker tracker;

    public RequestHandler(Vertx vertx, ListenerKey key, Supplier<RouteConfig> config, Supplier<Forwarder> forwarder,
                          boolean acceptHttp10) {
        this(vertx, key, config, forwarder, acceptHttp10, null);
    }

    /** @param scope picks the route table per request (TLS ports); null: the listener's one table */
    public RequestHandler(Vertx vertx, ListenerKey key, Supplier<RouteConfig> config, Supplier<Forwarder> forwarder,
                          boolean acceptHttp10, RouteScope scope) {
        this(vertx, key, config, forwarder, acceptHttp10, scope, null);
    }

    /** @param tracker told about every exchange, before any reply; null: nothing observes */
    public RequestHandler(Vertx vertx, ListenerKey key, Supplier<RouteConfig> config, Supplier<Forwarder> forwarder,
                          boolean acceptHttp10, RouteScope scope, ExchangeTracker tracker) {
        this.tracker = tracker;
        this.vertx = vertx;
        this.key = key;
        this.config = config;
        this.forwarder = forwarder;
        this.acceptHttp10 = acceptHttp10;
        this.scope = scope;
    }

    @Override
    public void handle(HttpServerRequest req) {
        req.pause();
        RouteConfig cfg = config.get();
        String rawPath = req.path();
        String query = req.query();
        HostAndPort hp = req.authority();
        String authority = hp == null ? null : formatAuthority(hp);
        String scheme = req.isSSL() ? "https" : "http";
        SocketAddress peer = req.remoteAddress();
        String peerIp = peer == null ? "" : peer.hostAddress();
        String normalized = PathNormalizer.normalize(rawPath);
        MultiMap upstreamHeaders = UpstreamHeaders.build(req.headers(), peerIp, scheme);
        Exchange ex = new Exchange(req, key.port(), withQuery(normalized == null ? rawPath : normalized, query),
                authority == null ? "" : authority, upstreamHeaders);
        if (tracker != null) {
            tracker.begin(ex);
        }
        // Istio gateways use SANITIZE_SET: a client's own XFCC never goes upstream; the TLS scope sets ours
        upstreamHeaders.remove("x-forwarded-client-cert");

        if (req.version() == HttpVersion.HTTP_1_0 && !acceptHttp10) {
            // Envoy closes after this reply; Vert.x ignores a Connection: close set on a response (it follows the
            // request, and HTTP/1.0 with keep-alive would stay open): shut the connection down instead, which
            // closes it once this exchange is complete (at the latest after Envoy's 1s delayed close)
            req.response().putHeader("connection", "close");
            req.connection().shutdown(CLOSE_AFTER_REPLY_MS, TimeUnit.MILLISECONDS);
            LocalReply.send(ex, 426, null, "low_version", null);
            return;
        }
        if (normalized == null) {
            LocalReply.send(ex, 400, "Bad Request", "path_normalization_failed", null);
            return;
        }
        if (authority == null && req.version() != HttpVersion.HTTP_1_0) {
            LocalReply.send(ex, 400, "Bad Request", "missing_host_header", null);
            return;
        }
        VirtualHost vhost;
        if (scope != null) {
            RouteScope.Decision d = scope.decide(req, ex, HostNames.hostForMatching(authority));
            if (d instanceof RouteScope.Refuse r) {
                LocalReply.send(ex, r.status(), r.body(), r.details(), r.flag());
                return;
            }
            vhost = ((RouteScope.Table) d).hosts().select(HostNames.hostForMatching(authority));
        } else {
            ListenerRoutes routes = cfg.listeners().get(key);
            vhost = routes == null ? null : routes.hosts().select(HostNames.hostForMatching(authority));
        }
        if (vhost == null) {
            notFound(ex);
            return;
        }
        if (vhost.requireTls() && !req.isSSL()) {
            MultiMap h = MultiMap.caseInsensitiveMultiMap();
            h.set("location", "https://" + HostNames.hostForMatching(authority) + ex.path());
            LocalReply.send(ex, 301, (Buffer) null, "via_ssl_redirect", null, h);
            return;
        }
        RequestFacts facts = new RequestFacts(normalized, query, req.method().name(), scheme, authority,
                req.headers());
        CompiledRoute route = vhost.match(facts);
        if (route == null) {
            notFound(ex);
            return;
        }
        ex.routeName(route.name());
        ex.addResponseHeaderOps(route.responseOps());
        Fault fault = route.fault();
        if (fault != null && fault.rollDelay()) {
            ex.flag(ResponseFlag.DI);
            vertx.setTimer(Math.max(1, fault.delay().toMillis()), t -> {
                if (!req.response().closed() && !req.response().ended()) {
                    afterDelay(ex, route, facts);
                }
            });
            return;
        }
        afterDelay(ex, route, facts);
    }

    private void afterDelay(Exchange ex, CompiledRoute route, RequestFacts facts) {
        Fault fault = route.fault();
        if (fault != null && fault.rollAbort()) {
            abort(ex, fault);
            return;
        }
        if (route.cors() != null && cors(ex, route.cors(), facts)) {
            return;
        }
        RouteAction action = route.action();
        if (action instanceof RouteAction.Forward f) {
            forward(ex, route, f, facts);
        } else if (action instanceof RouteAction.Redirect r) {
            MultiMap h = MultiMap.caseInsensitiveMultiMap();
            h.set("location", Redirects.location(r, facts, ex.path()));
            LocalReply.send(ex, r.code(), (Buffer) null, "redirect", null, h);
        } else if (action instanceof RouteAction.DirectResponse d) {
            LocalReply.send(ex, d.status(), d.body(), "direct_response", null, null);
        }
    }

    private void forward(Exchange ex, CompiledRoute route, RouteAction.Forward f, RequestFacts facts) {
        WeightedDestination dest = f.pick();
        MultiMap headers = ex.upstreamHeaders();
        if (route.pathRewrite() != null) {
            // Envoy records the pre-rewrite :path for the upstream (suppress_envoy_headers is off in Istio)
            headers.set("x-envoy-original-path", ex.path());
            ex.path(withQuery(route.pathRewrite().apply(facts.path()), facts.query()));
        }
        route.requestOps().applyTo(headers);
        dest.requestOps().applyTo(headers);
        if (route.authorityRewrite() != null) {
            ex.authority(route.authorityRewrite());
        } else if (dest.authorityRewrite() != null) {
            ex.authority(dest.authorityRewrite());
        }
        ex.addResponseHeaderOps(dest.responseOps());
        forwarder.get().forward(ex, f.action(), dest);
    }

    /** @return true when the request was answered here (a preflight) */
    private static boolean cors(Exchange ex, Cors cors, RequestFacts facts) {
        String origin = facts.header("origin");
        if (origin == null || origin.isEmpty()) {
            return false;
        }
        boolean allowed = cors.originAllowed(origin);
        boolean preflight = facts.method().equals("OPTIONS")
                && facts.header("access-control-request-method") != null;
        if (preflight) {
            if (!allowed) {
                if (cors.forwardUnmatchedPreflights()) {
                    return false;
                }
                LocalReply.send(ex, 200, (Buffer) null, "cors_response", null, null);
                return true;
            }
            MultiMap h = MultiMap.caseInsensitiveMultiMap();
            h.set("access-control-allow-origin", origin);
            if (Boolean.TRUE.equals(cors.allowCredentials())) {
                h.set("access-control-allow-credentials", "true");
            }
            if (cors.allowMethods() != null) {
                h.set("access-control-allow-methods", cors.allowMethods());
            }
            if (cors.allowHeaders() != null) {
                h.set("access-control-allow-headers", cors.allowHeaders());
            }
            if (cors.maxAge() != null) {
                h.set("access-control-max-age", cors.maxAge());
            }
            LocalReply.send(ex, 200, (Buffer) null, "cors_response", null, h);
            return true;
        }
        if (allowed) {
            java.util.HashMap<String, String> set = new java.util.HashMap<>();
            set.put("access-control-allow-origin", origin);
            if (Boolean.TRUE.equals(cors.allowCredentials())) {
                set.put("access-control-allow-credentials", "true");
            }
            if (cors.exposeHeaders() != null) {
                set.put("access-control-expose-headers", cors.exposeHeaders());
            }
            ex.addResponseHeaderOps(new HeaderOps(set, Map.of(), java.util.List.of()));
        }
        return false;
    }

    private static void abort(Exchange ex, Fault fault) {
        if (fault.grpcStatus() >= 0) {
            MultiMap h = MultiMap.caseInsensitiveMultiMap();
            h.set("content-type", "application/grpc");
            h.set("grpc-status", Integer.toString(fault.grpcStatus()));
            h.set("grpc-message", "fault filter abort");
            LocalReply.send(ex, 200, (Buffer) null, "fault_filter_abort", ResponseFlag.FI, h);
        } else {
            LocalReply.send(ex, fault.abortStatus(), "fault filter abort", "fault_filter_abort", ResponseFlag.FI);
        }
    }

    private static void notFound(Exchange ex) {
        LocalReply.send(ex, 404, (Buffer) null, "route_not_found", ResponseFlag.NR, null);
    }

    static String withQuery(String path, String query) {
        return query == null ? path : path + "?" + query;
    }

    static String formatAuthority(HostAndPort hp) {
        return hp.port() >= 0 ? hp.host() + ":" + hp.port() : hp.host();
    }
}

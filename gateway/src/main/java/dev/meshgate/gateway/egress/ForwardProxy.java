package dev.meshgate.gateway.egress;

import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.exchange.HeaderOps;
import dev.meshgate.gateway.route.ClusterKey;
import dev.meshgate.gateway.route.ForwardAction;
import dev.meshgate.gateway.route.RetryPolicy;
import dev.meshgate.gateway.route.WeightedDestination;
import dev.meshgate.gateway.upstream.UpstreamManager;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.ClusterTable;
import dev.meshgate.gateway.upstream.cluster.Host;
import dev.meshgate.gateway.upstream.forward.DynamicEndpoints;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * An explicit HTTP forward proxy that admits only hosts a ServiceEntry registers (wildcard entries included):
 * {@code CONNECT host:port} opens a byte tunnel to the entry's endpoint (for a wildcard entry, to the requested
 * host itself when the entry has no endpoints); absolute-form requests ({@code GET http://host/path}) go through
 * the forwarding core to the entry's cluster. Anything else is refused with 403 naming the host.
 */
public final class ForwardProxy {

    private static final Logger LOG = Logger.getLogger(ForwardProxy.class.getName());
    private static final Set<String> HOP = Set.of("connection", "keep-alive", "proxy-connection", "proxy-authorization",
            "transfer-encoding", "upgrade", "te", "host", "http2-settings");

    private final Vertx vertx;
    private final UpstreamManager upstreams;
    private final NetClient net;
    private final LongAdder refused = new LongAdder();
    private volatile HttpServer server;
    private volatile Index index = new Index(ClusterTable.EMPTY);

    public ForwardProxy(Vertx vertx, UpstreamManager upstreams) {
        this.vertx = vertx;
        this.upstreams = upstreams;
        this.net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000).setTcpNoDelay(true));
    }

    public Future<Integer> listen(String host, int port) {
        HttpServer s = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port));
        s.requestHandler(this::handle);
        server = s;
        return s.listen().map(HttpServer::actualPort);
    }

    /** Requests refused because no ServiceEntry registers the host. */
    public long refusedCount() {
        return refused.sum();
    }

    private void handle(HttpServerRequest req) {
        if (req.method() == HttpMethod.CONNECT) {
            connect(req);
            return;
        }
        String uri = req.uri();
        if (!uri.startsWith("http://")) {
            req.response().setStatusCode(400).end("forward proxy: absolute-form http:// URI or CONNECT expected\n");
            return;
        }
        URI u;
        try {
            u = URI.create(uri);
        } catch (IllegalArgumentException bad) {
            req.response().setStatusCode(400).end("forward proxy: malformed request URI\n");
            return;
        }
        if (u.getHost() == null) {
            req.response().setStatusCode(400).end("forward proxy: request URI without host\n");
            return;
        }
        String host = u.getHost().toLowerCase(Locale.ROOT);
        int port = u.getPort() > 0 ? u.getPort() : 80;
        Target t = target(host, port);
        if (t == null || t.cluster == null) {
            refuse(req, host, port);
            return;
        }
        req.pause();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (var e : req.headers()) {
            if (!HOP.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                headers.add(e.getKey(), e.getValue());
            }
        }
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        if (u.getRawQuery() != null) {
            path += "?" + u.getRawQuery();
        }
        String authority = u.getPort() > 0 ? host + ":" + port : host;
        Exchange ex = new Exchange(req, server.actualPort(), path, authority, headers);
        WeightedDestination d = new WeightedDestination(t.cluster.key(), 1, HeaderOps.NONE, HeaderOps.NONE, null);
        upstreams.forward(ex, new ForwardAction(List.of(d), null, RetryPolicy.ISTIO_DEFAULT, List.of()), d);
    }

    private void connect(HttpServerRequest req) {
        String authority = req.authority() == null ? null : req.authority().host();
        int port = req.authority() == null ? -1 : req.authority().port();
        if (authority == null || port <= 0) {
            req.response().setStatusCode(400).end("forward proxy: CONNECT needs host:port\n");
            return;
        }
        String host = authority.toLowerCase(Locale.ROOT);
        Target t = target(host, port);
        if (t == null) {
            refuse(req, host, port);
            return;
        }
        req.pause();
        Future<Target> where = t.cluster != null && t.cluster.hosts().isEmpty()
                ? upstreams.resolvePerRequest(host, t.cluster).map(one -> {
                    Host h = one.hosts().get(0);
                    return new Target(h.address(), h.port(), one);
                })
                : Future.succeededFuture(t);
        where.compose(w -> net.connect(w.port, w.address)).onComplete(ar -> {
            if (ar.failed()) {
                if (ar.cause() instanceof DynamicEndpoints.Refusal r) {
                    // DYNAMIC_DNS: the dynamic forward proxy's reply (503 DNS resolution failure, ...)
                    req.response().setStatusCode(r.status()).end(r.body());
                    return;
                }
                req.response().setStatusCode(502).end("forward proxy: cannot reach " + host + ":" + port + ": "
                        + ar.cause().getMessage() + "\n");
                return;
            }
            NetSocket up = ar.result();
            req.toNetSocket().onComplete(dar -> {
                if (dar.failed()) {
                    up.close();
                    return;
                }
                NetSocket down = dar.result();
                // pipes apply back-pressure both ways and close the other side when one ends
                down.pipeTo(up);
                up.pipeTo(down);
            });
        });
    }

    private void refuse(HttpServerRequest req, String host, int port) {
        refused.increment();
        LOG.fine("forward proxy: refused " + host + ":" + port);
        req.response().setStatusCode(403).putHeader("content-type", "text/plain")
                .end("forward proxy refused: host \"" + host + "\" port " + port
                        + " is not registered by any ServiceEntry\n");
    }

    /** Where to go for host:port, or null when no ServiceEntry registers it. */
    private Target target(String host, int port) {
        ClusterTable table = upstreams.clusters();
        Index idx = index;
        if (idx.table != table) {
            idx = new Index(table);
            index = idx;
        }
        Cluster c = idx.exact.get(host + ":" + port);
        if (c == null) {
            // wildcard entries: *.b.example.com, then *.example.com, ... (suffix match, multi-label)
            for (int dot = host.indexOf('.'); dot >= 0 && c == null; dot = host.indexOf('.', dot + 1)) {
                c = idx.wildcard.get("*" + host.substring(dot) + ":" + port);
            }
        }
        if (c == null) {
            return null;
        }
        if (c.hosts().isEmpty()) {
            // DYNAMIC_DNS: the requested host, resolved per request (tunnels and absolute-form requests)
            if (upstreams.resolvesPerRequest(c)) {
                return new Target(host, port, c);
            }
            // a wildcard entry without endpoints: the requested host itself (tunnels only)
            return new Target(host, port, null);
        }
        Host h = c.loadBalancer().choose(null, Set.of());
        if (h == null) {
            return null;
        }
        return new Target(h.address(), h.port(), c);
    }

    private record Target(String address, int port, Cluster cluster) {
    }

    /** Clusters of one table by host:port, exact and wildcard, built once per table. */
    private static final class Index {
        final ClusterTable table;
        final Map<String, Cluster> exact = new HashMap<>();
        final Map<String, Cluster> wildcard = new HashMap<>();

        Index(ClusterTable table) {
            this.table = table;
            for (Map.Entry<ClusterKey, Cluster> e : table.clusters().entrySet()) {
                ClusterKey k = e.getKey();
                if (!k.subset().isEmpty() || k.port() == 0) {
                    continue;
                }
                String key = k.host().toLowerCase(Locale.ROOT) + ":" + k.port();
                (k.host().startsWith("*.") ? wildcard : exact).put(key, e.getValue());
            }
        }
    }

    public Future<Void> close() {
        HttpServer s = server;
        return Future.join(s == null ? Future.succeededFuture() : s.close(), net.close()).mapEmpty();
    }
}

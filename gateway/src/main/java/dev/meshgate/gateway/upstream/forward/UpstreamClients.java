package dev.meshgate.gateway.upstream.forward;

import dev.meshgate.gateway.upstream.cluster.ClientProfile;
import dev.meshgate.gateway.upstream.cluster.Keepalive;
import dev.meshgate.gateway.upstream.cluster.UpstreamProtocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import dev.meshgate.gateway.upstream.cluster.TlsOrigination;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Upstream HttpClients, one per event loop and {@link ClientProfile}, like Envoy's per-worker connection pools.
 * A client used only from its own event loop opens its connections on that loop, so a request, its upstream
 * connection and its callbacks never hop threads. The per-loop map is only touched by its own thread; the outer
 * map is read lock-free.
 */
public final class UpstreamClients {

    static final int HTTP2_POOL_SIZE = 4;

    private final Vertx vertx;
    private final ConcurrentHashMap<Thread, Map<ClientProfile, HttpClient>> perLoop = new ConcurrentHashMap<>();
    /** Requests sent on each open upstream connection (maxRequestsPerConnection, reuse detection); per loop. */
    private final ConcurrentHashMap<Thread, Map<HttpConnection, int[]>> uses = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** Rotating origination credentials, or null: PEM files are read once per client. */
    private final ClientKeyMaterial keys;

    public UpstreamClients(Vertx vertx) {
        this(vertx, null);
    }

    public UpstreamClients(Vertx vertx, ClientKeyMaterial keys) {
        this.vertx = vertx;
        this.keys = keys;
    }

    /** The calling event loop's client for this profile, created on first use. */
    public HttpClient client(ClientProfile profile) {
        if (closed) {
            throw new IllegalStateException("upstream clients closed");
        }
        Thread self = Thread.currentThread();
        Map<ClientProfile, HttpClient> mine = perLoop.get(self);
        if (mine == null) {
            mine = perLoop.computeIfAbsent(self, t -> new HashMap<>());
        }
        HttpClient c = mine.get(profile);
        if (c == null) {
            c = create(profile);
            mine.put(profile, c);
        }
        return c;
    }

    private HttpClient create(ClientProfile p) {
        HttpClientOptions o = new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, p.connectTimeoutMs()))
                .setKeepAlive(true)
                .setMaxHeaderSize(96 * 1024)
                .setMaxInitialLineLength(64 * 1024)
                .setTcpNoDelay(true)
                .setTcpKeepAlive(p.keepalive() != null);
        // Istio's idleTimeout: a pooled connection without requests is closed after it; 0 disables.
        int idleSeconds = (int) Math.min(Integer.MAX_VALUE, TimeUnit.MILLISECONDS.toSeconds(p.idleTimeoutMs()));
        if (p.idleTimeoutMs() > 0) {
            o.setKeepAliveTimeout(Math.max(1, idleSeconds)).setHttp2KeepAliveTimeout(Math.max(1, idleSeconds));
        } else {
            o.setKeepAliveTimeout(0).setHttp2KeepAliveTimeout(0);
        }
        ClientKeyMaterial.Material material = null;
        if (p.tls() != null) {
            material = tls(o, p.tls(), p.protocol() == UpstreamProtocol.H2C);
        }
        if (p.protocol() == UpstreamProtocol.H2C) {
            o.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
        } else {
            o.setProtocolVersion(HttpVersion.HTTP_1_1).setPipelining(false);
        }
        int http2PoolSize = HTTP2_POOL_SIZE;
        if (p.maxConcurrentStreams() > 0) {
            // maxConcurrentStreams: a saturated connection makes the pool open another, as Envoy's HTTP/2 pool does
            o.setHttp2MultiplexingLimit(p.maxConcurrentStreams());
            http2PoolSize = Math.max(HTTP2_POOL_SIZE, p.http1PoolSize());
        }
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(p.http1PoolSize()).setHttp2MaxSize(http2PoolSize)
                .setMaxWaitQueueSize(-1);
        if (p.maxConnectionDurationMs() > 0) {
            // Istio's maxConnectionDuration: the pool retires a connection once it is this old
            pool.setMaxLifetime((int) Math.min(Integer.MAX_VALUE, p.maxConnectionDurationMs()))
                    .setMaxLifetimeUnit(TimeUnit.MILLISECONDS);
        }
        Keepalive keepalive = p.keepalive();
        HttpClientAgent agent = vertx.httpClientBuilder().with(o).with(pool).withConnectHandler(conn -> {
            if (keepalive != null) {
                KeepaliveOptions.apply(conn, keepalive);
            }
            onConnection(conn);
        }).build();
        if (material != null && material.onRotation() != null) {
            renewOnRotation(agent, o, p.tls(), material);
        }
        return agent;
    }

    /**
     * A fresh TLS context per rotation, as Envoy builds one per SDS update: TLS sessions of the old credential are
     * not resumed (a resumed session would present the old certificate again). Vert.x reuses a TLS context for
     * equal options, so the renewal carries new (unequal) option objects.
     */
    private void renewOnRotation(HttpClientAgent agent, HttpClientOptions o, TlsOrigination.ClientTls t,
                                 ClientKeyMaterial.Material material) {
        io.vertx.core.net.ClientSSLOptions ssl = o.getSslOptions().copy();
        material.onRotation().accept(() -> {
            ClientKeyMaterial.Material fresh = closed ? null : keys.material(t);
            if (fresh == null) {
                return Future.succeededFuture();
            }
            io.vertx.core.net.ClientSSLOptions next = ssl.copy();
            if (fresh.keyCert() != null) {
                next.setKeyCertOptions(fresh.keyCert());
            }
            if (fresh.trust() != null && !t.trustAll()) {
                next.setTrustOptions(fresh.trust());
            }
            return agent.updateSSLOptions(next, true);
        });
    }

    /** TLS origination with BoringSSL; SNI is the request's host (set per request by the call). */
    private ClientKeyMaterial.Material tls(HttpClientOptions o, TlsOrigination.ClientTls t, boolean h2) {
        o.setSsl(true).setForceSni(true).setVerifyHost(t.verifyHost()).setUseAlpn(h2);
        if (OpenSSLEngineOptions.isAvailable()) {
            o.setSslEngineOptions(new OpenSSLEngineOptions());
        }
        ClientKeyMaterial.Material m = keys == null ? null : keys.material(t);
        if (t.trustAll()) {
            o.setTrustAll(true);
        } else if (m != null && m.trust() != null) {
            o.setTrustOptions(m.trust());
        } else if (t.caCertificates() != null) {
            o.setTrustOptions(new PemTrustOptions().addCertPath(t.caCertificates()));
        }
        if (m != null && m.keyCert() != null) {
            o.setKeyCertOptions(m.keyCert());
        } else if (t.clientCertificate() != null && t.privateKey() != null) {
            o.setKeyCertOptions(new PemKeyCertOptions().setCertPath(t.clientCertificate()).setKeyPath(t.privateKey()));
        }
        return m;
    }

    private void onConnection(HttpConnection conn) {
        Map<HttpConnection, int[]> mine = uses.computeIfAbsent(Thread.currentThread(), t -> new IdentityHashMap<>());
        mine.put(conn, new int[1]);
        conn.closeHandler(v -> mine.remove(conn));
        // a reset or close reaches the request using the connection (UC/UR in its access log line); without this
        // handler Vert.x logs every upstream RST at ERROR level, with no request context
        conn.exceptionHandler(t -> { });
    }

    /**
     * Counts one more request on the connection and returns how many it has carried so far (1 = its first), or 0
     * when the connection is unknown (not opened by this loop's clients).
     */
    int countRequest(HttpConnection conn) {
        Map<HttpConnection, int[]> mine = uses.get(Thread.currentThread());
        int[] n = mine == null ? null : mine.get(conn);
        return n == null ? 0 : ++n[0];
    }

    /** Closes every client (in-flight requests fail). */
    public Future<Void> close() {
        closed = true;
        List<Future<Void>> all = new ArrayList<>();
        for (Map<ClientProfile, HttpClient> m : perLoop.values()) {
            // the per-loop maps are no longer mutated once closed is set and callers stopped
            for (HttpClient c : List.copyOf(m.values())) {
                all.add(c.close());
            }
        }
        perLoop.clear();
        uses.clear();
        return Future.join(all).mapEmpty();
    }
}

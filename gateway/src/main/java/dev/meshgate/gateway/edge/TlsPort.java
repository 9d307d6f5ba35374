package dev.meshgate.gateway.edge;

import dev.meshgate.cert.Registration;
import dev.meshgate.cert.TlsCredential;
import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.listener.HttpListener;
import dev.meshgate.gateway.listener.RouteScope;
import dev.meshgate.gateway.route.ListenerKey;
import dev.meshgate.gateway.tls.ServerTlsConfig;
import dev.meshgate.gateway.tls.ServerTlsFactory;
import dev.meshgate.gateway.tls.ServerTlsSettings;
import dev.meshgate.gateway.tls.SniMatcher;
import dev.meshgate.gateway.tls.SniServer;
import dev.meshgate.gateway.tls.UnmatchedSni;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One terminating TLS listener: its servers' credentials resolved and watched, the SNI configuration built by
 * {@link ServerTlsFactory} and applied live ({@code updateSSLOptions}) on credential rotation and config change, and
 * the per-request choice of the SNI server's own route table.
 *
 * <p>A server whose credential does not load is left out (logged, naming the server and the credential); when it
 * loads later, the server is added. A rebuild that fails keeps the configuration in force. Reconciles run one at a
 * time.
 */
final class TlsPort implements RouteScope {

    private static final Logger LOG = Logger.getLogger(TlsPort.class.getName());

    /** What a request on this port needs, swapped as one volatile reference. */
    private record State(ServerTlsConfig config, Map<SniServer, TlsServerPlan> plans,
                         SniMatcher<TlsServerPlan> byHost, TlsServerPlan unmatched) {
    }

    private final Vertx vertx;
    private final ListenerKey key;
    private final String bindHost;
    private final int localPort;
    private final int instances;
    private final EdgeCredentials credentials;
    private final ServerTlsFactory factory;
    private final UnmatchedSni unmatchedSni;
    private final EdgeCounters counters;
    private final BiFunction<ListenerKey, RouteScope, Handler<HttpServerRequest>> handlers;
    private final List<Registration> registrations;
    private final Map<HttpConnection, String> xfcc = new ConcurrentHashMap<>();
    private final Map<String, String> reportedErrors = new HashMap<>(); // server -> last message logged
    private volatile State state;
    private volatile TlsPortPlan plan;
    private volatile Transport listener;
    private final java.util.function.Supplier<L4Proxy> proxy;

    /** The socket side of the port: an HTTP listener (HTTPS) or a TCP listener (TLS servers). */
    private interface Transport {
        int actualPort();

        Future<Void> updateSsl(io.vertx.core.net.ServerSSLOptions ssl);

        Future<Void> stop();
    }
    private Future<Void> chain = Future.succeededFuture();

    TlsPort(Vertx vertx, ListenerKey key, String bindHost, int localPort, int instances, EdgeCredentials credentials,
            ServerTlsFactory factory, UnmatchedSni unmatchedSni, EdgeCounters counters,
            BiFunction<ListenerKey, RouteScope, Handler<HttpServerRequest>> handlers,
            java.util.function.Supplier<L4Proxy> proxy) {
        this.proxy = proxy;
        this.vertx = vertx;
        this.key = key;
        this.bindHost = bindHost;
        this.localPort = localPort;
        this.instances = instances;
        this.credentials = credentials;
        this.factory = factory;
        this.unmatchedSni = unmatchedSni;
        this.counters = counters;
        this.handlers = handlers;
        this.registrations = credentials.addListener(this::credentialChanged);
    }

    /** Applies a new plan for this port; fails only when the port should be listening and cannot be. */
    synchronized Future<Void> update(TlsPortPlan next) {
        this.plan = next;
        return enqueue();
    }

    private void credentialChanged(TlsCredential c) {
        TlsPortPlan p = plan;
        if (p != null && p.servers().stream().anyMatch(s -> s.credential().credentialName().equals(c.name()))) {
            enqueue();
        }
    }

    private synchronized Future<Void> enqueue() {
        Promise<Void> done = Promise.promise();
        chain = chain.transform(x -> reconcile().onComplete(done)).transform(x -> Future.succeededFuture());
        return done.future();
    }

    /** -1 until bound. */
    int actualPort() {
        Transport l = listener;
        return l == null ? -1 : l.actualPort();
    }

    /** The plan in force, null before the first {@link #update}. */
    TlsPortPlan plan() {
        return plan;
    }

    ServerTlsConfig config() {
        State s = state;
        return s == null ? null : s.config();
    }

    /** Completes after every reconcile requested so far. */
    synchronized Future<Void> settled() {
        return chain;
    }

    private Future<Void> reconcile() {
        TlsPortPlan p = plan;
        List<Future<TlsCredential>> loads = new ArrayList<>();
        for (TlsServerPlan s : p.servers()) {
            loads.add(credentials.resolve(s.credential()));
        }
        return Future.join(loads).transform(ignored -> {
            List<SniServer> servers = new ArrayList<>();
            Map<SniServer, TlsServerPlan> plans = new IdentityHashMap<>();
            for (int i = 0; i < loads.size(); i++) {
                TlsServerPlan sp = p.servers().get(i);
                Future<TlsCredential> f = loads.get(i);
                if (f.failed()) {
                    report(sp, "credential " + sp.credential().credentialName() + " not loaded: "
                            + f.cause().getMessage() + "; this server is not served until it loads");
                    continue;
                }
                report(sp, null);
                SniServer srv = new SniServer(sp.hosts(), sp.mode(), f.result(), sp.pins());
                servers.add(srv);
                plans.put(srv, sp);
            }
            String where = "listener " + key + " (" + bindHost + ":" + localPort + ")";
            if (servers.isEmpty()) {
                LOG.severe(where + ": no server has a usable credential"
                        + (listener == null ? "; port not bound" : "; keeping the configuration in force"));
                return Future.succeededFuture();
            }
            ServerTlsConfig config;
            try {
                config = factory.build(new ServerTlsSettings(where, servers, p.minProtocolVersion(),
                        p.maxProtocolVersion(), p.cipherSuites(), unmatchedSni));
            } catch (IllegalArgumentException e) {
                LOG.severe(e.getMessage() + (listener == null ? "; port not bound"
                        : "; keeping the configuration in force"));
                return Future.succeededFuture();
            }
            config.warnings().forEach(LOG::warning);
            State next = state(config, plans);
            if (listener == null) {
                state = next;
                return start(p.tcp())
                        .onSuccess(l -> {
                            listener = l;
                            LOG.info(where + ": TLS on " + factory.engine().engine() + ", serving "
                                    + describe(servers) + " on port " + l.actualPort());
                        })
                        .mapEmpty();
            }
            return listener.updateSsl(config.sslOptions()).transform(ar -> {
                if (ar.failed()) {
                    LOG.log(Level.SEVERE, where + ": applying the new TLS configuration failed; keeping the one in"
                            + " force", ar.cause());
                    return Future.succeededFuture();
                }
                state = next;
                LOG.info(where + ": now serving " + describe(servers));
                return Future.succeededFuture();
            });
        });
    }

    private Future<Transport> start(boolean tcp) {
        if (tcp) {
            return NetListener.start(vertx, bindHost, localPort, instances,
                    () -> state.config().applyTo(new io.vertx.core.net.NetServerOptions()), this::onTcpConnection,
                    this::onHandshakeError)
                    .map(l -> new Transport() {
                        public int actualPort() {
                            return l.actualPort();
                        }

                        public Future<Void> updateSsl(io.vertx.core.net.ServerSSLOptions ssl) {
                            return l.updateSsl(ssl.setUseAlpn(false));
                        }

                        public Future<Void> stop() {
                            return l.stop();
                        }
                    });
        }
        return HttpListener.start(vertx, key, bindHost, localPort, instances, () -> handlers.apply(key, this),
                        o -> state.config().applyTo(o), this::onConnection, this::onHandshakeError)
                .map(l -> new Transport() {
                    public int actualPort() {
                        return l.actualPort();
                    }

                    public Future<Void> updateSsl(io.vertx.core.net.ServerSSLOptions ssl) {
                        List<Future<Boolean>> updates = new ArrayList<>();
                        for (HttpServer server : l.servers()) {
                            updates.add(server.updateSSLOptions(ssl));
                        }
                        return Future.all(updates).mapEmpty();
                    }

                    public Future<Void> stop() {
                        return l.stop();
                    }
                });
    }

    /**
     * A connection that failed before it was established: mostly refused handshakes (no server for the SNI, a
     * client certificate that does not validate). Envoy counts these per listener as ssl handshake errors.
     */
    private void onHandshakeError(Throwable t) {
        counters.handshakeFailures.increment();
        LOG.fine(() -> "listener " + key + ": TLS handshake failed: " + t);
    }

    /** A terminated TLS (TCP) connection: the SNI's server, its client-certificate rule, then its tcp route. */
    private void onTcpConnection(io.vertx.core.net.NetSocket so) {
        so.pause();
        State st = state;
        String sni = so.indicatedServerName();
        TlsServerPlan own = serverOf(st, sni);
        SniRoute route = own == null ? null
                : L4Candidate.select(own.tcpCandidates(), own.tcpRoute(), so.localAddress(), so.remoteAddress());
        if (route == null) {
            counters.noFilterChain.increment();
            LOG.fine(() -> "listener " + key + ": NR no tcp route for SNI " + sni + "; closed");
            so.close();
            return;
        }
        if (own.mode() == dev.meshgate.gateway.tls.TlsMode.MUTUAL && !hasPeerCertificate(so)) {
            counters.missingClientCertificate.increment();
            so.close();
            return;
        }
        proxy.get().forward(so, null, route, "listener " + key + " " + own.routeName(), sni);
    }

    private static boolean hasPeerCertificate(io.vertx.core.net.NetSocket so) {
        try {
            List<Certificate> c = so.peerCertificates();
            return c != null && !c.isEmpty();
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }

    private void report(TlsServerPlan sp, String message) {
        String prev = message == null ? reportedErrors.remove(sp.server()) : reportedErrors.put(sp.server(), message);
        if (message != null && !message.equals(prev)) {
            LOG.severe("listener " + key + " " + sp.server() + " (" + sp.routeName() + "): " + message);
        }
    }

    private State state(ServerTlsConfig config, Map<SniServer, TlsServerPlan> plans) {
        SniMatcher<TlsServerPlan> byHost = new SniMatcher<>();
        for (SniServer s : config.settings().servers()) {
            for (String h : s.hosts()) {
                byHost.add(h, plans.get(s));
            }
        }
        SniServer u = config.unmatchedServer();
        return new State(config, plans, byHost, u == null ? null : plans.get(u));
    }

    private static String describe(List<SniServer> servers) {
        List<String> parts = new ArrayList<>();
        for (SniServer s : servers) {
            parts.add(s.hosts() + " " + s.mode() + " " + s.credential().name() + " serial "
                    + s.credential().serialHex());
        }
        return String.join(", ", parts);
    }

    private void onConnection(HttpConnection conn) {
        State st = state;
        String sni = conn.indicatedServerName();
        TlsServerPlan own = serverOf(st, sni);
        List<Certificate> peer = peerCertificates(conn);
        if (own == null) {
            counters.noFilterChain.increment();
            conn.close();
            return;
        }
        if (own.mode() == dev.meshgate.gateway.tls.TlsMode.MUTUAL && peer.isEmpty()) {
            // a port mixing MUTUAL with other modes only requests a certificate in the handshake
            counters.missingClientCertificate.increment();
            LOG.fine(() -> "listener " + key + ": SNI " + sni + " needs a client certificate; connection closed");
            conn.close();
            return;
        }
        if (!peer.isEmpty()) {
            SniServer srv = st.config().serverFor(sni);
            X509Certificate local = srv == null ? null : srv.credential().leaf();
            String value = ClientCertHeader.of(peer, local);
            if (value != null) {
                xfcc.put(conn, value);
                conn.closeHandler(v -> xfcc.remove(conn));
            }
        }
    }

    private static List<Certificate> peerCertificates(HttpConnection conn) {
        try {
            List<Certificate> certs = conn.peerCertificates();
            return certs == null ? List.of() : certs;
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    private static TlsServerPlan serverOf(State st, String sni) {
        TlsServerPlan p = st.byHost().lookup(sni); // null SNI: only a "*" server matches
        return p != null ? p : st.unmatched();
    }

    @Override
    public Decision decide(HttpServerRequest request, Exchange exchange, String host) {
        State st = state;
        HttpConnection conn = request.connection();
        TlsServerPlan own = serverOf(st, conn.indicatedServerName());
        if (own == null) {
            return new Refuse(404, null, "filter_chain_not_found", dev.meshgate.gateway.exchange.ResponseFlag.NR);
        }
        String cert = xfcc.get(conn);
        if (cert != null) {
            exchange.upstreamHeaders().set(ClientCertHeader.NAME, cert);
        }
        if (own.routes().select(host) == null) {
            TlsServerPlan other = st.byHost().lookup(host);
            if (other != null && other != own) {
                // HTTP/2 connection reuse across names sharing a certificate: tell the client to connect anew
                return new Refuse(421, "Misdirected Request", "misdirected_request", null);
            }
        }
        return new Table(own.routes());
    }

    synchronized Future<Void> stop() {
        registrations.forEach(Registration::cancel);
        return chain.transform(x -> listener == null ? Future.succeededFuture() : listener.stop());
    }
}

package dev.meshgate.gateway.edge;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.util.logging.Logger;

/**
 * A plain {@code protocol: TCP} Gateway port: every connection goes along the port's VirtualService {@code tcp:}
 * route through {@link L4Proxy} (weighted destination per connection, pipes both ways). No route: the connection
 * is closed (Envoy NR, {@code filter_chain_not_found}).
 */
final class TcpListener {

    private static final Logger LOG = Logger.getLogger(TcpListener.class.getName());

    private final NetListener listener;
    private final Handler handler;

    private TcpListener(NetListener listener, Handler handler) {
        this.listener = listener;
        this.handler = handler;
    }

    static Future<TcpListener> start(Vertx vertx, TcpPortPlan plan, String host, int port, int instances,
                                     L4Proxy proxy, EdgeCounters counters) {
        Handler handler = new Handler(plan, proxy, counters);
        return NetListener.start(vertx, host, port, instances, NetServerOptions::new, handler::accept, null)
                .map(l -> new TcpListener(l, handler));
    }

    int actualPort() {
        return listener.actualPort();
    }

    TcpPortPlan plan() {
        return handler.plan;
    }

    /** New connections use {@code plan}; established ones keep their upstream. */
    void update(TcpPortPlan plan) {
        handler.plan = plan;
    }

    Future<Void> stop() {
        return listener.stop();
    }

    private static final class Handler {
        private final L4Proxy proxy;
        private final EdgeCounters counters;
        volatile TcpPortPlan plan;

        Handler(TcpPortPlan plan, L4Proxy proxy, EdgeCounters counters) {
            this.plan = plan;
            this.proxy = proxy;
            this.counters = counters;
        }

        void accept(NetSocket so) {
            // nothing may be read before the upstream is connected: the pipe resumes the socket
            so.pause();
            TcpPortPlan p = plan;
            SniRoute route = p.select(so.localAddress(), so.remoteAddress());
            if (route == null) {
                counters.noFilterChain.increment();
                LOG.fine(() -> "tcp listener " + p.key() + ": NR filter_chain_not_found; closed");
                so.close();
                return;
            }
            proxy.forward(so, null, route, "tcp listener " + p.key() + " " + p.routeName(), null);
        }
    }
}

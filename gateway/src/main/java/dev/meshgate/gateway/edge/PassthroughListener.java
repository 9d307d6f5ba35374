package dev.meshgate.gateway.edge;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.time.Duration;
import java.util.logging.Logger;

/**
 * A PASSTHROUGH TLS listener: reads the SNI from the ClientHello without terminating, picks the VirtualService
 * {@code tls:} route for it and a weighted destination (once per connection), connects to an endpoint of that
 * cluster and copies bytes both ways with back-pressure (the ClientHello bytes already read go first).
 * A connection without a route is closed (Envoy NR, {@code filter_chain_not_found}).
 */
final class PassthroughListener {

    private static final Logger LOG = Logger.getLogger(PassthroughListener.class.getName());

    private final NetListener listener;
    private final Handler handler;

    private PassthroughListener(NetListener listener, Handler handler) {
        this.listener = listener;
        this.handler = handler;
    }

    static Future<PassthroughListener> start(Vertx vertx, PassthroughPlan plan, String host, int port, int instances,
                                             L4Proxy proxy, String defaultSni, Duration helloTimeout,
                                             EdgeCounters counters) {
        Handler handler = new Handler(vertx, plan, proxy, defaultSni, helloTimeout, counters);
        return NetListener.start(vertx, host, port, instances, NetServerOptions::new, handler::accept, null)
                .map(l -> new PassthroughListener(l, handler));
    }

    int actualPort() {
        return listener.actualPort();
    }

    /** New connections use {@code plan}; established ones keep their upstream. */
    void update(PassthroughPlan plan) {
        handler.plan = plan;
    }

    Future<Void> stop() {
        return listener.stop();
    }

    private static final class Handler {
        private final Vertx vertx;
        private final L4Proxy proxy;
        private final String defaultSni;
        private final long timeoutMs;
        private final EdgeCounters counters;
        volatile PassthroughPlan plan;

        Handler(Vertx vertx, PassthroughPlan plan, L4Proxy proxy, String defaultSni, Duration helloTimeout,
                EdgeCounters counters) {
            this.vertx = vertx;
            this.plan = plan;
            this.proxy = proxy;
            this.defaultSni = defaultSni;
            this.timeoutMs = Math.max(1, helloTimeout.toMillis());
            this.counters = counters;
        }

        void accept(NetSocket so) {
            counters.passthroughConnections.increment();
            Buffer acc = Buffer.buffer();
            long timer = vertx.setTimer(timeoutMs, t -> {
                counters.badClientHello.increment();
                LOG.fine(() -> "passthrough " + plan.key() + ": no ClientHello from " + so.remoteAddress()
                        + " within " + timeoutMs + " ms; closed");
                so.handler(null);
                so.close();
            });
            so.handler(buf -> {
                acc.appendBuffer(buf);
                ClientHello.Result r = ClientHello.parse(acc);
                if (r instanceof ClientHello.NeedMore && acc.length() <= ClientHello.MAX_HELLO + 1024) {
                    return;
                }
                vertx.cancelTimer(timer);
                so.pause();
                so.handler(null);
                if (r instanceof ClientHello.Parsed p) {
                    route(so, p.sni(), acc);
                } else {
                    counters.badClientHello.increment();
                    String why = r instanceof ClientHello.Invalid inv ? inv.reason() : "ClientHello too large";
                    LOG.fine(() -> "passthrough " + plan.key() + ": " + why + " from " + so.remoteAddress()
                            + "; closed");
                    so.close();
                }
            });
            so.closeHandler(v -> vertx.cancelTimer(timer));
        }

        private void route(NetSocket so, String sni, Buffer hello) {
            PassthroughPlan p = plan;
            SniRoute route = p.select(sni, so.localAddress(), so.remoteAddress());
            if (route == null && defaultSni != null) {
                route = p.select(defaultSni, so.localAddress(), so.remoteAddress());
            }
            if (route == null) {
                counters.noFilterChain.increment();
                LOG.fine(() -> "passthrough " + p.key() + ": NR filter_chain_not_found for SNI " + sni);
                so.close();
                return;
            }
            proxy.forward(so, hello, route, "passthrough " + p.key() + " SNI " + sni, sni);
        }
    }
}

package dev.meshgate.gateway.upstream.forward;

import dev.meshgate.gateway.upstream.cluster.Keepalive;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpClientConnectionInternal;
import jdk.net.ExtendedSocketOptions;

import java.net.SocketOption;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * TCP keepalive probes on an upstream connection. Vert.x 5.0.7 only has SO_KEEPALIVE (set through the client
 * options); idle time, interval and probe count are set on the connection's socket once it is open, through
 * the JDK's extended socket options (Linux and macOS). Vert.x gives the socket only through its internal
 * connection interface, so that is the one place this class depends on.
 */
final class KeepaliveOptions {

    private static final Logger LOG = Logger.getLogger(KeepaliveOptions.class.getName());

    private KeepaliveOptions() {
    }

    static void apply(HttpConnection conn, Keepalive k) {
        Channel ch = channel(conn);
        if (ch == null) {
            return;
        }
        set(ch, ExtendedSocketOptions.TCP_KEEPIDLE, k.timeSeconds());
        set(ch, ExtendedSocketOptions.TCP_KEEPINTERVAL, k.intervalSeconds());
        set(ch, ExtendedSocketOptions.TCP_KEEPCOUNT, k.probes());
    }

    private static void set(Channel ch, SocketOption<Integer> option, int value) {
        if (value <= 0) {
            return;
        }
        try {
            if (!ch.config().setOption(NioChannelOption.of(option), value)) {
                LOG.fine(() -> "socket option " + option.name() + " not supported on " + ch);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot set " + option.name() + "=" + value + " on upstream connection " + ch, e);
        }
    }

    /**
     * The socket's keepalive settings as the kernel reports them (getsockopt), for diagnostics and tests:
     * {SO_KEEPALIVE (0/1), TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT}, or null without a socket.
     */
    static int[] read(HttpConnection conn) {
        Channel ch = channel(conn);
        if (ch == null) {
            return null;
        }
        Boolean on = ch.config().getOption(ChannelOption.SO_KEEPALIVE);
        return new int[] {Boolean.TRUE.equals(on) ? 1 : 0, get(ch, ExtendedSocketOptions.TCP_KEEPIDLE),
                get(ch, ExtendedSocketOptions.TCP_KEEPINTERVAL), get(ch, ExtendedSocketOptions.TCP_KEEPCOUNT)};
    }

    private static int get(Channel ch, SocketOption<Integer> option) {
        Integer v = ch.config().getOption(NioChannelOption.of(option));
        return v == null ? -1 : v;
    }

    private static Channel channel(HttpConnection conn) {
        if (conn instanceof HttpClientConnectionInternal internal && internal.channelHandlerContext() != null) {
            return internal.channelHandlerContext().channel();
        }
        return null;
    }
}

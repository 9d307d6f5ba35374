package dev.meshgate.gateway.upstream.forward;

import dev.meshgate.gateway.upstream.cluster.Keepalive;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpClientConnectionInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import jdk.net.ExtendedSocketOptions;

import java.net.SocketOption;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * TCP keepalive probes on an upstream connection (DestinationRule connectionPool.tcp.tcpKeepalive). Vert.x 5.0.7
 * only has the SO_KEEPALIVE switch; idle time, interval and probe count are set on the connection's socket once it
 * is open, through the JDK's extended socket options (Linux and macOS, NIO transport). Vert.x exposes the socket
 * only through its internal connection interfaces, so this class is the one place that depends on them.
 */
public final class KeepaliveOptions {

    private static final Logger LOG = Logger.getLogger(KeepaliveOptions.class.getName());

    private KeepaliveOptions() {
    }

    /** For L4 (TCP/TLS route) upstream sockets: SO_KEEPALIVE on, plus the rule's values. */
    public static void apply(NetSocket socket, Keepalive k) {
        if (k != null) {
            apply(channel(socket), k);
        }
    }

    static void apply(HttpConnection conn, Keepalive k) {
        apply(channel(conn), k);
    }

    private static void apply(Channel ch, Keepalive k) {
        if (ch == null) {
            return;
        }
        ch.config().setOption(ChannelOption.SO_KEEPALIVE, true);
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
        return read(channel(conn));
    }

    static int[] read(NetSocket socket) {
        return read(channel(socket));
    }

    private static int[] read(Channel ch) {
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
        return conn instanceof HttpClientConnectionInternal internal ? channel(internal.channelHandlerContext()) : null;
    }

    private static Channel channel(NetSocket socket) {
        return socket instanceof NetSocketInternal internal ? channel(internal.channelHandlerContext()) : null;
    }

    private static Channel channel(ChannelHandlerContext ctx) {
        return ctx == null ? null : ctx.channel();
    }
}

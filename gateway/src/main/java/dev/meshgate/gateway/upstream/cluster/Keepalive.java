package dev.meshgate.gateway.upstream.cluster;

import dev.meshgate.config.model.networking.TcpKeepalive;

import java.time.Duration;

/**
 * connectionPool.tcp.tcpKeepalive compiled as Istio hands it to Envoy: SO_KEEPALIVE on every upstream connection,
 * each value in whole seconds (Istio truncates the Duration to seconds); 0 keeps the OS default.
 *
 * @param probes          TCP_KEEPCNT, 0 = OS default (Linux 9)
 * @param timeSeconds     TCP_KEEPIDLE, 0 = OS default (Linux 7200s)
 * @param intervalSeconds TCP_KEEPINTVL, 0 = OS default (Linux 75s)
 */
public record Keepalive(int probes, int timeSeconds, int intervalSeconds) {

    /** Null when the rule sets no tcpKeepalive (SO_KEEPALIVE stays off, as in Envoy without tcp_keepalive). */
    public static Keepalive of(TcpKeepalive k) {
        if (k == null) {
            return null;
        }
        return new Keepalive(Math.max(0, k.probes()), seconds(k.time()), seconds(k.interval()));
    }

    // the kernel refuses 0 for TCP_KEEPIDLE/TCP_KEEPINTVL: a sub-second value becomes 1s instead of an error
    private static int seconds(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            return 0;
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.getSeconds()));
    }
}

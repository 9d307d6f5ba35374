package dev.meshgate.gateway.edge;

import dev.meshgate.gateway.exchange.ResponseFlag;
import dev.meshgate.gateway.observe.AccessLogEntry;
import dev.meshgate.gateway.observe.ConnectionTelemetry;
import dev.meshgate.gateway.observe.IstioMetrics;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.Host;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One proxied downstream connection from accept to close: the byte pumps both ways (back-pressure: the reader
 * pauses while the other side's write queue is full; the end of one side ends the other), the byte counts fed to
 * the {@code istio_tcp_*} counters as the bytes flow, the idle and max-duration timers, and the access-log line
 * once both sides are closed. Everything runs on the downstream socket's event loop (the upstream socket is
 * connected from it, so it shares the loop): the fields need no synchronisation.
 */
final class L4Connection {

    private static final Logger LOG = Logger.getLogger(L4Connection.class.getName());

    private final Vertx vertx;
    private final NetSocket down;
    private final String sni;
    private final String label;
    private final ConnectionTelemetry telemetry;
    private final long startNanos = System.nanoTime();
    private final long startEpochMillis = System.currentTimeMillis();

    private Cluster cluster;
    private String clusterName;
    private Host host;
    private NetSocket up;
    private boolean slotHeld;
    private IstioMetrics.TcpMeters meters;
    /** %RESPONSE_FLAGS% of the access-log line; the metric labels keep the flags known at connect time. */
    private String logFlags;
    private long received;
    private long sent;
    private long lastActivityNanos;
    private long idleNanos;
    private long idleTimer = -1;
    private long durationTimer = -1;
    private boolean downClosed;
    private boolean upClosed;
    private boolean finished;
    /** An upstream connect is under way: the connection cannot finish before it settles. */
    private boolean connecting;

    L4Connection(Vertx vertx, NetSocket down, String sni, String label, ConnectionTelemetry telemetry) {
        this.vertx = vertx;
        this.down = down;
        this.sni = sni;
        this.label = label;
        this.telemetry = telemetry;
        // in flight for the drain from accept (routed) to the report in refuse() or maybeFinish()
        telemetry.started();
        down.closeHandler(v -> {
            downClosed = true;
            if (up != null) {
                up.close();
            }
            maybeFinish();
        });
        down.exceptionHandler(t -> LOG.fine(() -> label + ": downstream " + down.remoteAddress() + ": " + t));
    }

    /** An upstream connect starts; {@link #connected} or {@link #refuse} follows. */
    void connecting() {
        connecting = true;
    }

    /** The upstream was not connected: counts opened and closed under {@code flag}, logs, closes downstream. */
    void refuse(Cluster cluster, String clusterName, Host host, ResponseFlag flag) {
        this.cluster = cluster;
        this.clusterName = clusterName;
        this.host = host;
        this.logFlags = flag.name();
        connecting = false;
        meters = telemetry.meters(clusterName, EnumSet.of(flag));
        if (meters != null) {
            meters.connectionOpened();
        }
        finished = true;
        report();
        down.close();
    }

    /**
     * The upstream connected: counts the connection opened, sends {@code first} (bytes read before routing) and
     * starts copying. A downstream that closed while connecting closes the upstream at once.
     *
     * @param slotHeld whether a maxConnections slot of the cluster was taken for this connection
     */
    void connected(Cluster cluster, Host host, NetSocket up, Buffer first, boolean slotHeld) {
        this.cluster = cluster;
        this.clusterName = cluster.name();
        this.host = host;
        this.up = up;
        this.slotHeld = slotHeld;
        connecting = false;
        meters = telemetry.meters(clusterName, Set.of());
        if (meters != null) {
            meters.connectionOpened();
        }
        lastActivityNanos = System.nanoTime();
        up.closeHandler(v -> {
            upClosed = true;
            releaseSlot();
            down.close();
            maybeFinish();
        });
        up.exceptionHandler(t -> LOG.fine(() -> label + ": upstream " + host.hostPort() + ": " + t));
        if (downClosed) {
            up.close();
            return;
        }
        if (first != null && first.length() > 0) {
            countReceived(first.length());
            up.write(first);
        }
        startTimers(cluster);
        pump(down, up, true);
        pump(up, down, false);
        down.resume();
    }

    private void startTimers(Cluster cluster) {
        // Envoy's TCP proxy idle_timeout: tcp.idleTimeout only, never http.idleTimeout
        Duration idle = cluster.policy().tcpIdleTimeout();
        if (!idle.isZero() && !idle.isNegative()) {
            idleNanos = idle.toNanos();
            idleTimer = vertx.setTimer(Math.max(1, idle.toMillis()), id -> checkIdle());
        }
        Duration max = cluster.policy().pool().maxConnectionDuration();
        if (max != null) {
            durationTimer = vertx.setTimer(Math.max(1, max.toMillis()), id -> {
                durationTimer = -1;
                // Envoy's TCP proxy flags a connection cut by max_downstream_connection_duration with DT
                logFlags = "DT";
                LOG.fine(() -> label + ": maxConnectionDuration " + max + " reached; closing");
                closeBoth();
            });
        }
    }

    /** Fires at most once per idle period: closes when no byte moved either way for idleTimeout. */
    private void checkIdle() {
        idleTimer = -1;
        if (finished) {
            return;
        }
        long quiet = System.nanoTime() - lastActivityNanos;
        if (quiet >= idleNanos) {
            LOG.fine(() -> label + ": idle for " + TimeUnit.NANOSECONDS.toMillis(quiet) + " ms; closing");
            closeBoth();
            return;
        }
        idleTimer = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(idleNanos - quiet)), id -> checkIdle());
    }

    private void closeBoth() {
        down.close();
        if (up != null) {
            up.close();
        }
    }

    private void pump(NetSocket from, NetSocket to, boolean downstream) {
        from.handler(buf -> {
            int n = buf.length();
            lastActivityNanos = System.nanoTime();
            if (downstream) {
                countReceived(n);
            } else {
                sent += n;
                if (meters != null) {
                    meters.sentBytes().increment(n);
                }
            }
            to.write(buf);
            if (to.writeQueueFull()) {
                from.pause();
            }
        });
        to.drainHandler(v -> from.resume());
        from.endHandler(v -> to.end());
    }

    private void countReceived(int n) {
        received += n;
        if (meters != null) {
            meters.receivedBytes().increment(n);
        }
    }

    private void releaseSlot() {
        if (slotHeld) {
            slotHeld = false;
            cluster.stats().releaseConnection();
        }
    }

    private void maybeFinish() {
        if (finished || connecting || !downClosed || (up != null && !upClosed)) {
            return;
        }
        finished = true;
        releaseSlot();
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
        }
        if (durationTimer >= 0) {
            vertx.cancelTimer(durationTimer);
        }
        report();
    }

    /** Closed counter, access-log line and the end of the in-flight count, once. */
    private void report() {
        telemetry.ended();
        if (meters != null) {
            meters.connectionClosed();
        }
        if (telemetry.logsConnections()) {
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            telemetry.closed(AccessLogEntry.tcp(startEpochMillis, logFlags, null, received, sent, ms,
                    host == null ? null : host.hostPort(), clusterName, up == null ? null : up.localAddress(),
                    down.localAddress(), down.remoteAddress(), sni));
        }
    }
}

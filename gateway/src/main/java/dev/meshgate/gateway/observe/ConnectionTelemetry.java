package dev.meshgate.gateway.observe;

import dev.meshgate.gateway.exchange.ResponseFlag;

import java.util.Set;

/**
 * What the layer-4 proxy (TCP routes, TLS passthrough, terminated TLS to TCP) reports per connection: the
 * {@code istio_tcp_*} counters with the HTTP metrics' labels ({@code request_protocol="tcp"}), and one access-log
 * line when the connection ends, as Envoy's TCP proxy logs it (method, path and protocol "-", response code 0).
 * {@link #NONE} measures and logs nothing.
 */
public final class ConnectionTelemetry {

    public static final ConnectionTelemetry NONE = new ConnectionTelemetry(null, null);

    private final IstioMetrics metrics;
    private final AccessLog accessLog;
    private final InFlightRequests inFlight;

    /** @param metrics null: no metrics; @param accessLog null: no access log */
    public ConnectionTelemetry(IstioMetrics metrics, AccessLog accessLog) {
        this(metrics, accessLog, null);
    }

    /** @param inFlight where open connections count for the drain; null: not counted */
    public ConnectionTelemetry(IstioMetrics metrics, AccessLog accessLog, InFlightRequests inFlight) {
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.inFlight = inFlight;
    }

    /** A downstream connection is proxied: it counts as in flight (the drain waits) until {@link #ended()}. */
    public void started() {
        if (inFlight != null) {
            inFlight.connectionOpened();
        }
    }

    /** The connection of {@link #started()} is over; called once per started connection. */
    public void ended() {
        if (inFlight != null) {
            inFlight.connectionClosed();
        }
    }

    /**
     * The counters of one connection's label set, looked up once per connection; null when nothing is measured.
     *
     * @param cluster the upstream cluster, null when none was found (destination_service "unknown")
     * @param flags   the flags known once the upstream connect settled ({@code UF}, {@code UO}, ...), empty: "-"
     */
    public IstioMetrics.TcpMeters meters(String cluster, Set<ResponseFlag> flags) {
        return metrics == null ? null : metrics.tcp(cluster, flags);
    }

    /** Whether a finished connection would be logged now, so that callers build no entry for nothing. */
    public boolean logsConnections() {
        return accessLog != null && accessLog.logsConnections();
    }

    /** A connection ended; logged if the access log is on and its filter takes response code 0. Never blocks. */
    public void closed(AccessLogEntry entry) {
        if (accessLog != null) {
            accessLog.onConnection(entry);
        }
    }
}

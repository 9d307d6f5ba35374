package dev.meshgate.gateway.observe;

import dev.meshgate.gateway.exchange.Exchange;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The access log as an exchange observer: when enabled and the filter accepts the response code, captures an
 * {@link AccessLogEntry} on the event loop and hands it to the {@link AccessLogWriter}. Settings can be swapped
 * at any time (a Telemetry resource changed); the swap is one volatile write.
 */
public final class AccessLog implements ExchangeObserver, AutoCloseable {

    public static final String DROPPED_METRIC = "meshgate_access_log_dropped_total";

    private final AccessLogWriter writer;
    private volatile AccessLogSettings settings;

    public AccessLog(AccessLogWriter writer, AccessLogSettings initial) {
        this.writer = writer;
        this.settings = initial == null ? AccessLogSettings.OFF : initial;
    }

    /** Exports the drop count as {@code meshgate_access_log_dropped_total}. */
    public AccessLog bindTo(MeterRegistry registry) {
        FunctionCounter.builder(DROPPED_METRIC, writer, AccessLogWriter::dropped)
                .description("Access-log entries dropped because the writer queue was full")
                .register(registry);
        return this;
    }

    public AccessLogSettings settings() {
        return settings;
    }

    public void settings(AccessLogSettings s) {
        this.settings = s == null ? AccessLogSettings.OFF : s;
    }

    public AccessLogWriter writer() {
        return writer;
    }

    @Override
    public void onComplete(Exchange exchange, int statusCode) {
        AccessLogSettings s = settings;
        if (!s.enabled() || !s.filter().test(statusCode)) {
            return;
        }
        writer.offer(s.format(), AccessLogEntry.of(exchange, statusCode));
    }

    /** Whether a TCP connection (response code 0) passes the current settings. */
    public boolean logsConnections() {
        AccessLogSettings s = settings;
        return s.enabled() && s.filter().test(0);
    }

    /** A layer-4 connection ended: logged like an exchange, with Envoy's TCP response code 0. */
    public void onConnection(AccessLogEntry entry) {
        AccessLogSettings s = settings;
        if (!s.enabled() || !s.filter().test(entry.responseCode())) {
            return;
        }
        writer.offer(s.format(), entry);
    }

    @Override
    public void close() {
        writer.close();
    }
}

package dev.meshgate.gateway.edge;

import dev.meshgate.gateway.tls.TlsEngineStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The TLS edge as metrics:
 * <ul>
 *   <li>{@code meshgate_tls_engine{engine, native}} = 1: BoringSSL or the JDK fallback;</li>
 *   <li>{@code meshgate_tls_connections_refused_total{reason}}: {@code filter_chain_not_found} (passthrough and
 *       TLS-to-TCP without a route), {@code handshake_failed} (terminating ports: unknown SNI, bad client
 *       certificate, no common protocol), {@code missing_client_certificate}, {@code bad_client_hello};</li>
 *   <li>{@code meshgate_tls_upstream_failures_total}, {@code meshgate_tls_passthrough_connections_total};</li>
 *   <li>{@code meshgate_certificate_expiry_timestamp_seconds{credential}}: notAfter of every credential in force,
 *       refreshed every {@code refreshMillis} (credentials come and go with the config).</li>
 * </ul>
 */
public final class EdgeMetrics implements AutoCloseable {

    public static final String EXPIRY = "meshgate_certificate_expiry_timestamp_seconds";

    private final Vertx vertx;
    private final EdgeRuntime edge;
    private final MultiGauge expiry;
    private final long timer;

    private EdgeMetrics(Vertx vertx, EdgeRuntime edge, MultiGauge expiry, long refreshMillis) {
        this.vertx = vertx;
        this.edge = edge;
        this.expiry = expiry;
        refresh();
        this.timer = vertx.setPeriodic(Math.max(100, refreshMillis), id -> refresh());
    }

    public static EdgeMetrics bindTo(MeterRegistry registry, Vertx vertx, EdgeRuntime edge, long refreshMillis) {
        EdgeStatus st = edge.status();
        TlsEngineStatus engine = st.engine();
        Gauge.builder("meshgate_tls_engine", () -> 1)
                .description("TLS engine terminating connections (native=false: the JDK fallback)")
                .tags("engine", engine.engine(), "native", Boolean.toString(engine.nativeEngine()))
                .register(registry);
        EdgeCounters c = st.counters();
        refused(registry, c, "filter_chain_not_found", EdgeCounters::noFilterChain);
        refused(registry, c, "missing_client_certificate", EdgeCounters::missingClientCertificate);
        refused(registry, c, "bad_client_hello", EdgeCounters::badClientHello);
        refused(registry, c, "handshake_failed", EdgeCounters::handshakeFailures);
        FunctionCounter.builder("meshgate_tls_upstream_failures_total", c, EdgeCounters::upstreamFailures)
                .description("Passthrough or terminated-TCP connections whose destination could not be reached")
                .register(registry);
        FunctionCounter.builder("meshgate_tls_passthrough_connections_total", c,
                        EdgeCounters::passthroughConnections)
                .description("Connections accepted by passthrough listeners").register(registry);
        MultiGauge expiry = MultiGauge.builder(EXPIRY)
                .description("notAfter of each certificate in force, seconds since the epoch").register(registry);
        return new EdgeMetrics(vertx, edge, expiry, refreshMillis);
    }

    private static void refused(MeterRegistry registry, EdgeCounters c, String reason,
                                ToDoubleFunction<EdgeCounters> f) {
        FunctionCounter.builder("meshgate_tls_connections_refused_total", c, f).tag("reason", reason)
                .description("TLS connections closed before any request").register(registry);
    }

    /** Re-reads the credential inventory into the expiry gauge. */
    public void refresh() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (EdgeStatus.Credential cred : edge.status().credentials()) {
            if (cred.notAfter() != null) {
                rows.add(MultiGauge.Row.of(Tags.of("credential", cred.name()), cred.notAfter().getEpochSecond()));
            }
        }
        expiry.register(rows, true);
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}

package dev.meshgate.gateway.observe;

import java.time.Duration;

/**
 * Operator settings for metrics, access log, probes and draining (see {@link ObserveCliOptions} for the flags).
 *
 * @param accessLog         access-log target: {@code -} for stdout, a file path, or null (off unless a Telemetry
 *                          resource turns it on, then stdout, like Istio's {@code envoy} provider)
 * @param accessLogEncoding TEXT or JSON (MeshConfig accessLogEncoding)
 * @param accessLogQueue    entries buffered before drops
 * @param drainDuration     serving time after SIGTERM before waiting for in-flight requests (terminationDrainDuration)
 * @param maxInFlightWait   how long to wait for in-flight requests after the drain time
 * @param probeHost         address the stats and health ports bind
 * @param statsPort         Prometheus port (Istio 15090); 0 picks a free port, -1 disables
 * @param healthPort        readiness port (Istio 15021); 0 picks a free port, -1 disables
 * @param workloadName      overrides the source_workload derived from the environment
 * @param workloadNamespace overrides source_workload_namespace
 * @param vertxMetrics      also export Vert.x client/pool metrics (needs the Vertx built with {@link
 *                          Observability#configure})
 */
public record ObserveOptions(String accessLog, AccessLogFormat accessLogEncoding, int accessLogQueue,
                             Duration drainDuration, Duration maxInFlightWait, String probeHost, int statsPort,
                             int healthPort, String workloadName, String workloadNamespace, boolean vertxMetrics) {

    public ObserveOptions {
        accessLogEncoding = accessLogEncoding == null ? AccessLogFormat.TEXT : accessLogEncoding;
        accessLogQueue = accessLogQueue <= 0 ? AccessLogWriter.DEFAULT_CAPACITY : accessLogQueue;
        drainDuration = drainDuration == null ? DrainController.DEFAULT_DRAIN : drainDuration;
        maxInFlightWait = maxInFlightWait == null ? Duration.ofSeconds(30) : maxInFlightWait;
        probeHost = probeHost == null || probeHost.isBlank() ? "0.0.0.0" : probeHost;
    }

    public static ObserveOptions defaults() {
        return new ObserveOptions(null, AccessLogFormat.TEXT, 0, null, null, null, StatsEndpoint.DEFAULT_PORT,
                HealthEndpoint.DEFAULT_PORT, null, null, true);
    }

    /** Tests: loopback, free ports. */
    public ObserveOptions forTests() {
        return new ObserveOptions(accessLog, accessLogEncoding, accessLogQueue, drainDuration, maxInFlightWait,
                "127.0.0.1", 0, 0, workloadName, workloadNamespace, vertxMetrics);
    }

    public ObserveOptions withAccessLog(String target, AccessLogFormat encoding) {
        return new ObserveOptions(target, encoding, accessLogQueue, drainDuration, maxInFlightWait, probeHost,
                statsPort, healthPort, workloadName, workloadNamespace, vertxMetrics);
    }

    public ObserveOptions withDrain(Duration drain, Duration maxWait) {
        return new ObserveOptions(accessLog, accessLogEncoding, accessLogQueue, drain, maxWait, probeHost,
                statsPort, healthPort, workloadName, workloadNamespace, vertxMetrics);
    }

    /** The access-log settings the flags alone give. */
    public AccessLogSettings accessLogSettings() {
        return accessLog == null ? AccessLogSettings.OFF
                : new AccessLogSettings(true, accessLogEncoding, AccessLogFilter.ALL);
    }
}

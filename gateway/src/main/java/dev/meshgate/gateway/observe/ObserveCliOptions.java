package dev.meshgate.gateway.observe;

import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Locale;

/**
 * The observability flags of {@code meshgate run}, as a picocli mixin: {@code @Mixin ObserveCliOptions observe;}
 * then {@code observe.toOptions()}.
 */
public final class ObserveCliOptions {

    @Option(names = "--access-log", paramLabel = "PATH|-",
            description = "Write Istio's access log to PATH, or to standard output with '-'. Off by default unless a "
                    + "Telemetry resource turns it on (then standard output).")
    String accessLog;

    @Option(names = "--access-log-encoding", paramLabel = "TEXT|JSON", defaultValue = "TEXT",
            description = "Access-log encoding, Istio's accessLogEncoding (default: ${DEFAULT-VALUE}).")
    String accessLogEncoding = "TEXT";

    @Option(names = "--drain-duration", paramLabel = "DURATION", defaultValue = "5s",
            description = "On SIGTERM: not ready at once, keep serving (and accepting) at least this long while "
                    + "telling clients to leave (Connection: close, HTTP/2 GOAWAY), then finish in-flight requests "
                    + "and exit 0 (Istio's terminationDrainDuration; default: ${DEFAULT-VALUE}).")
    String drainDuration = "5s";

    @Option(names = "--drain-max-wait", paramLabel = "DURATION", defaultValue = "30s",
            description = "After --drain-duration, the longest wait for requests and TCP/TLS connections still "
                    + "in flight; the process exits as soon as none is left (default: ${DEFAULT-VALUE}).")
    String drainMaxWait = "30s";

    @Option(names = "--stats-port", paramLabel = "PORT", defaultValue = "15090",
            description = "Prometheus port, served at /stats/prometheus; -1 disables (default: ${DEFAULT-VALUE}).")
    int statsPort = StatsEndpoint.DEFAULT_PORT;

    @Option(names = "--health-port", paramLabel = "PORT", defaultValue = "15021",
            description = "Readiness port, served at /healthz/ready; -1 disables (default: ${DEFAULT-VALUE}).")
    int healthPort = HealthEndpoint.DEFAULT_PORT;

    @Option(names = "--probe-bind", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "Address the stats and health ports bind (default: ${DEFAULT-VALUE}).")
    String probeBind = "0.0.0.0";

    @Option(names = "--workload-name", paramLabel = "NAME",
            description = "source_workload in metrics; default ISTIO_META_WORKLOAD_NAME, else the Deployment name "
                    + "derived from POD_NAME, else 'unknown'.")
    String workloadName;

    @Option(names = "--workload-namespace", paramLabel = "NAMESPACE",
            description = "source_workload_namespace in metrics; default POD_NAMESPACE, else the gateway namespace.")
    String workloadNamespace;

    public ObserveOptions toOptions() {
        return new ObserveOptions(accessLog, AccessLogFormat.parse(accessLogEncoding), 0,
                parseDuration("--drain-duration", drainDuration), parseDuration("--drain-max-wait", drainMaxWait),
                probeBind, statsPort, healthPort, workloadName, workloadNamespace, true);
    }

    /** {@code 5s}, {@code 500ms}, {@code 1m}, {@code 0}. */
    static Duration parseDuration(String flag, String s) {
        String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.equals("0")) {
                return Duration.ZERO;
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            }
            if (v.endsWith("m")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(flag + " '" + s + "': expected a duration such as 5s, 500ms or 1m");
    }
}

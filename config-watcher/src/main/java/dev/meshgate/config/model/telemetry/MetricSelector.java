package dev.meshgate.config.model.telemetry;

/**
 * Which metric an override applies to. {@code metric} / {@code customMetric} are a oneof (nullable; neither =
 * ALL_METRICS, the enum zero). {@code mode} is filled with CLIENT_AND_SERVER when absent.
 */
public record MetricSelector(IstioMetric metric, String customMetric, WorkloadMode mode) {

    public MetricSelector {
        mode = mode == null ? WorkloadMode.CLIENT_AND_SERVER : mode;
    }

    /** The standard metric selected; ALL_METRICS when neither alternative is set; null for a custom metric. */
    public IstioMetric metricOrDefault() {
        if (metric != null) {
            return metric;
        }
        return customMetric == null ? IstioMetric.ALL_METRICS : null;
    }

    public enum IstioMetric {
        ALL_METRICS,
        REQUEST_COUNT,
        REQUEST_DURATION,
        REQUEST_SIZE,
        RESPONSE_SIZE,
        TCP_OPENED_CONNECTIONS,
        TCP_CLOSED_CONNECTIONS,
        TCP_SENT_BYTES,
        TCP_RECEIVED_BYTES,
        GRPC_REQUEST_MESSAGES,
        GRPC_RESPONSE_MESSAGES
    }
}

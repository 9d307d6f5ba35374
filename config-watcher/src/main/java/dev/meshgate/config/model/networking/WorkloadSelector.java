package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.Map;

/**
 * Networking's workload selector (key {@code labels}; the security/telemetry one,
 * {@link dev.meshgate.config.model.security.WorkloadSelector}, uses {@code matchLabels}).
 */
public record WorkloadSelector(Map<String, String> labels) {

    public WorkloadSelector {
        labels = Copies.map(labels);
    }
}

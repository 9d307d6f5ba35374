package dev.meshgate.config.model.security;

import dev.meshgate.config.model.Copies;
import java.util.Map;

/**
 * Istio's {@code istio.type.v1beta1.WorkloadSelector} (key {@code matchLabels}), shared by the security kinds and
 * Telemetry. Networking kinds use {@link dev.meshgate.config.model.networking.WorkloadSelector} ({@code labels}).
 */
public record WorkloadSelector(Map<String, String> matchLabels) {

    public WorkloadSelector {
        matchLabels = Copies.map(matchLabels);
    }
}

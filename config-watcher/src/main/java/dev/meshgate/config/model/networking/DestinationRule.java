package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.List;

/**
 * Spec of {@code networking.istio.io} DestinationRule.
 *
 * @param host             REQUIRED registry host; short names resolve in the rule's namespace
 * @param trafficPolicy    null when absent (every setting then has its default)
 * @param exportTo         empty = all namespaces
 * @param workloadSelector null = applies to every workload
 */
public record DestinationRule(
        String host,
        TrafficPolicy trafficPolicy,
        List<Subset> subsets,
        List<String> exportTo,
        WorkloadSelector workloadSelector) {

    public DestinationRule {
        subsets = Copies.list(subsets);
        exportTo = Copies.list(exportTo);
    }
}

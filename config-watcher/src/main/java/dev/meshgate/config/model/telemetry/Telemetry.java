package dev.meshgate.config.model.telemetry;

import dev.meshgate.config.model.Copies;
import dev.meshgate.config.model.security.PolicyTargetReference;
import dev.meshgate.config.model.security.WorkloadSelector;
import java.util.List;

/**
 * Spec of {@code telemetry.istio.io} Telemetry. Settings inherit mesh (root namespace) → namespace → workload, so
 * absent values stay null here and the {@code ...OrDefault()} accessors give Istio's final defaults.
 *
 * @param selector   the shared {@code matchLabels} selector from the security package
 * @param targetRef  deprecated/hidden singular form of {@code targetRefs}
 * @param targetRefs [1.22+]
 */
public record Telemetry(
        WorkloadSelector selector,
        PolicyTargetReference targetRef,
        List<PolicyTargetReference> targetRefs,
        List<Tracing> tracing,
        List<Metrics> metrics,
        List<AccessLogging> accessLogging) {

    public Telemetry {
        targetRefs = Copies.list(targetRefs);
        tracing = Copies.list(tracing);
        metrics = Copies.list(metrics);
        accessLogging = Copies.list(accessLogging);
    }
}

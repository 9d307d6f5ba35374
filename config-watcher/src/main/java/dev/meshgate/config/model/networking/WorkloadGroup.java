package dev.meshgate.config.model.networking;

/**
 * Spec of {@code networking.istio.io} WorkloadGroup.
 *
 * @param metadata labels and annotations copied to generated WorkloadEntries (Istio's nested
 *                 {@code WorkloadGroup.ObjectMeta}, named {@link WorkloadGroupMetadata} here to keep it apart from
 *                 the resource envelope's {@link dev.meshgate.config.model.ObjectMeta})
 * @param template REQUIRED; without address and labels
 * @param probe    null = no readiness probe
 */
public record WorkloadGroup(WorkloadGroupMetadata metadata, WorkloadEntry template, ReadinessProbe probe) {
}

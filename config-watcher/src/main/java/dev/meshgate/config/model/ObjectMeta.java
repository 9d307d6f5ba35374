package dev.meshgate.config.model;

import java.time.Instant;
import java.util.Map;

/**
 * The Kubernetes-style metadata every resource carries. Only the fields Meshgate uses are modelled;
 * the loader accepts (and ignores) the rest of Kubernetes' ObjectMeta so `kubectl get -o yaml` output loads.
 *
 * @param creationTimestamp null when the source gave none; route ordering then falls back to name, namespace
 * @param resourceVersion   optimistic-concurrency token; null for file sources
 */
public record ObjectMeta(
        String name,
        String namespace,
        Map<String, String> labels,
        Map<String, String> annotations,
        Instant creationTimestamp,
        String resourceVersion,
        Long generation) {

    public static final String DEFAULT_NAMESPACE = "default";

    public ObjectMeta {
        // insertion-ordered like every model map (convention 5), so output and diagnostics list them as written
        labels = Copies.map(labels);
        annotations = Copies.map(annotations);
    }

    public ObjectMeta withNamespace(String ns) {
        return new ObjectMeta(name, ns, labels, annotations, creationTimestamp, resourceVersion, generation);
    }
}

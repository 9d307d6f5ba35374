package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.Map;

/** Istio's {@code WorkloadGroup.ObjectMeta}. */
public record WorkloadGroupMetadata(Map<String, String> labels, Map<String, String> annotations) {

    public WorkloadGroupMetadata {
        labels = Copies.map(labels);
        annotations = Copies.map(annotations);
    }
}

package dev.meshgate.gateway.upstream.lb;

import java.util.Map;

/**
 * Where this gateway runs, as Istio sees a proxy: its locality (the {@code --locality} flag; empty = no locality
 * awareness) and its workload labels augmented with the locality's topology labels (what failoverPriority
 * compares endpoint labels with).
 */
public record ProxyLocality(Locality locality, Map<String, String> labels) {

    public static final ProxyLocality NONE = new ProxyLocality(Locality.NONE, Map.of());

    public ProxyLocality {
        locality = locality == null ? Locality.NONE : locality;
        labels = Map.copyOf(locality.augment(labels == null ? Map.of() : labels, null));
    }
}

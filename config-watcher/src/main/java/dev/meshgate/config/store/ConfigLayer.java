package dev.meshgate.config.store;

import dev.meshgate.config.model.Resource;

import java.util.List;

/**
 * One origin of resources: the files ({@value ConfigLayers#FILE}), the admin API/cluster store
 * ({@value ConfigLayers#API}), or later Kubernetes.
 */
public record ConfigLayer(String name, List<Resource<?>> resources) {

    public ConfigLayer {
        resources = List.copyOf(resources);
    }
}

package dev.meshgate.config.store;

import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.ResourceKey;

/**
 * One committed change in a {@link ResourceStore}.
 *
 * @param resource the resource after the change; for DELETED the resource as it was when deleted
 * @param previous the resource before the change; null for ADDED
 */
public record StoreEvent(Type type, Resource<?> resource, Resource<?> previous) {

    public enum Type { ADDED, MODIFIED, DELETED }

    public ResourceKey key() {
        return resource.key();
    }
}

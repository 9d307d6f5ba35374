package dev.meshgate.config.store;

/**
 * Told about every committed change, in commit order. Implementations must return quickly (schedule a snapshot
 * rebuild, do not build it inline): a store may call listeners on the writer's thread or an event loop.
 */
@FunctionalInterface
public interface StoreListener {

    void onChange(StoreEvent event);
}

package dev.meshgate.config.store;

import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.ResourceKey;
import io.vertx.core.Future;

import java.util.List;

/**
 * The API/cluster layer of the configuration: resources written through the admin API (and, with
 * {@code --cluster}, shared by every replica). File-sourced resources are a separate layer; see {@link ConfigLayers}.
 *
 * <p>Every operation returns a Future so a distributed implementation (a Hazelcast IMap) fits the same contract;
 * failures are {@link StoreException}s. The store owns {@code metadata.resourceVersion} (an opaque token, changed on
 * every write), {@code metadata.generation} (1 on create, +1 on every replace) and {@code creationTimestamp} (set on
 * create when absent, kept on replace).
 *
 * <p>Optimistic concurrency: {@link #replace} and {@link #delete} take the caller's expected resourceVersion; null
 * means unconditional, otherwise it must equal the stored one or the future fails with
 * {@link StoreException.Reason#CONFLICT}.
 */
public interface ResourceStore {

    /** Resources of a kind, in one namespace or (namespace null) all, ordered by namespace then name. */
    Future<List<Resource<?>>> list(Kind kind, String namespace);

    /** Every resource of every kind, ordered by kind, namespace, name: the input of a snapshot build. */
    Future<List<Resource<?>>> listAll();

    /** The resource, or a null result when absent. */
    Future<Resource<?>> get(ResourceKey key);

    /** Stores a new resource; fails with ALREADY_EXISTS if the key is taken. Returns the stored form. */
    Future<Resource<?>> create(Resource<?> resource);

    /**
     * Replaces an existing resource; fails with NOT_FOUND when absent and CONFLICT when
     * {@code expectedResourceVersion} is non-null and stale. Returns the stored form.
     */
    Future<Resource<?>> replace(Resource<?> resource, String expectedResourceVersion);

    /** Deletes; fails with NOT_FOUND or CONFLICT as {@link #replace}. Returns the resource as it was. */
    Future<Resource<?>> delete(ResourceKey key, String expectedResourceVersion);

    /** A token that changes with every write to the store (the list resourceVersion of Kubernetes). */
    Future<String> currentVersion();

    /** Registers a listener for committed changes; closing the returned handle unregisters it. */
    Registration addListener(StoreListener listener);

    /** Unregisters a listener. */
    @FunctionalInterface
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}

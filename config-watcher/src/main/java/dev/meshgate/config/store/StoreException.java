package dev.meshgate.config.store;

import dev.meshgate.config.model.ResourceKey;

/**
 * Why a store operation was refused. Every {@link ResourceStore} implementation fails its futures with this
 * exception (and these reasons) so callers such as the admin API can map them to HTTP status codes.
 */
public final class StoreException extends RuntimeException {

    public enum Reason {
        /** No resource with that key. */
        NOT_FOUND,
        /** Create of a key that exists already. */
        ALREADY_EXISTS,
        /** The caller's resourceVersion precondition is stale. */
        CONFLICT
    }

    private final Reason reason;
    private final ResourceKey key;

    public StoreException(Reason reason, ResourceKey key, String message) {
        super(message);
        this.reason = reason;
        this.key = key;
    }

    public Reason reason() {
        return reason;
    }

    public ResourceKey key() {
        return key;
    }

    static StoreException notFound(ResourceKey key) {
        return new StoreException(Reason.NOT_FOUND, key, key + " not found");
    }

    static StoreException alreadyExists(ResourceKey key) {
        return new StoreException(Reason.ALREADY_EXISTS, key, key + " already exists");
    }

    static StoreException conflict(ResourceKey key, String expected, String actual) {
        return new StoreException(Reason.CONFLICT, key, key + ": resourceVersion " + expected
                + " is stale (current " + actual + "); the object has been modified, re-read it and try again");
    }
}

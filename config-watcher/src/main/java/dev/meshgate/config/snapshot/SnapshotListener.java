package dev.meshgate.config.snapshot;

/**
 * Told about every applied snapshot, in version order, on the thread that publishes (the config source's
 * watcher thread): swap a volatile or hand off, never block long, never throw.
 */
@FunctionalInterface
public interface SnapshotListener {

    /** A snapshot with new content is now current. {@code previous} is {@link ConfigSnapshot#EMPTY} at first. */
    void onSnapshot(ConfigSnapshot current, ConfigSnapshot previous);

    /** A change was rejected; the current snapshot keeps serving. */
    default void onRejected(ConfigStatus status) {
    }
}

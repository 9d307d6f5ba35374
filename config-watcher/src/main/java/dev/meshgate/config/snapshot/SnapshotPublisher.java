package dev.meshgate.config.snapshot;

import dev.meshgate.config.diag.Diagnostic;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Holds the one current snapshot (a volatile read on the hot path) and the {@link ConfigStatus}, and tells
 * listeners about changes. Publishing is serialised so listeners see snapshots in version order; content
 * equal to the current snapshot is not news and notifies nobody.
 */
public final class SnapshotPublisher {

    private static final Logger LOG = Logger.getLogger(SnapshotPublisher.class.getName());

    private final Clock clock;
    private final List<SnapshotListener> listeners = new CopyOnWriteArrayList<>();
    private volatile ConfigSnapshot current = ConfigSnapshot.EMPTY;
    private volatile ConfigStatus status = ConfigStatus.INITIAL;

    public SnapshotPublisher() {
        this(Clock.systemUTC());
    }

    public SnapshotPublisher(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public ConfigSnapshot current() {
        return current;
    }

    public ConfigStatus status() {
        return status;
    }

    /** Adds a listener; closing the returned handle removes it. */
    public AutoCloseable subscribe(SnapshotListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Makes {@code next} current unless its content equals the current one.
     *
     * @param warnings the non-blocking diagnostics of {@code next}, kept in the status
     * @return true when listeners were notified, false when the content was unchanged
     * @throws IllegalArgumentException when {@code next} is new content with a version not above the current one
     */
    public synchronized boolean publish(ConfigSnapshot next, List<Diagnostic> warnings) {
        ConfigSnapshot previous = current;
        if (next.hash().equals(previous.hash())) {
            // e.g. a broken edit was reverted: nothing to tell listeners, but the status is healthy again
            status = status.applied(previous, warnings, clock.instant());
            return false;
        }
        if (next.version() <= previous.version()) {
            throw new IllegalArgumentException("snapshot version " + next.version()
                    + " is not above the current " + previous.version());
        }
        current = next;
        status = status.applied(next, warnings, clock.instant());
        for (SnapshotListener l : listeners) {
            try {
                l.onSnapshot(next, previous);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "snapshot listener " + l + " failed on version " + next.version(), e);
            }
        }
        return true;
    }

    /** Records a rejected change; the current snapshot keeps serving. */
    public synchronized void reject(List<Diagnostic> diagnostics) {
        ConfigStatus s = status.rejected(diagnostics, clock.instant());
        status = s;
        for (SnapshotListener l : listeners) {
            try {
                l.onRejected(s);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "snapshot listener " + l + " failed on a rejected change", e);
            }
        }
    }
}

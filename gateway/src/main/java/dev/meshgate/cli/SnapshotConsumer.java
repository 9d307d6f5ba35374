package dev.meshgate.cli;

import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.config.snapshot.ConfigStatus;
import dev.meshgate.config.snapshot.SnapshotListener;
import io.vertx.core.Future;

/**
 * A part of {@code meshgate run} that follows the configuration: the snapshot log now; the data plane and the
 * admin API plug in here. {@link #start} runs before the config source starts, so the first snapshot is
 * delivered through {@link #onSnapshot} like every later one.
 */
public interface SnapshotConsumer extends SnapshotListener {

    /** Prepare (bind listeners, build clients). {@code run} fails when this fails. */
    default Future<?> start(RunContext context) {
        return Future.succeededFuture();
    }

    /** Release what {@link #start} acquired. Called once, on shutdown, after the config source is closed. */
    default Future<?> stop() {
        return Future.succeededFuture();
    }

    /** A consumer that only listens. */
    static SnapshotConsumer of(SnapshotListener listener) {
        return new SnapshotConsumer() {
            @Override
            public void onSnapshot(ConfigSnapshot current, ConfigSnapshot previous) {
                listener.onSnapshot(current, previous);
            }

            @Override
            public void onRejected(ConfigStatus status) {
                listener.onRejected(status);
            }

            @Override
            public String toString() {
                return listener.toString();
            }
        };
    }
}

package dev.meshgate.cli;

import dev.meshgate.config.snapshot.SnapshotPublisher;
import io.vertx.core.Vertx;

/**
 * What {@code meshgate run} gives each {@link SnapshotConsumer}.
 *
 * @param vertx     the one Vert.x instance of the process
 * @param publisher current snapshot and config status (for the admin API)
 */
public record RunContext(Vertx vertx, SnapshotPublisher publisher) {
}

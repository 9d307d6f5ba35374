package dev.meshgate.admin.views;

import dev.meshgate.config.snapshot.ConfigStatus;

import java.util.function.Supplier;

/** {@code GET /status}: the config pipeline's status. */
@FunctionalInterface
public interface StatusView {

    ApplyStatus status();

    /** Adapts the pipeline's status, e.g. {@code StatusView.of(publisher::status)}. */
    static StatusView of(Supplier<ConfigStatus> status) {
        return () -> ApplyStatus.of(status.get());
    }
}

package dev.meshgate.admin.views;

/** {@code GET /status}: adapts the config pipeline's status (ConfigStatus) for the admin API. */
@FunctionalInterface
public interface StatusView {

    ApplyStatus status();
}

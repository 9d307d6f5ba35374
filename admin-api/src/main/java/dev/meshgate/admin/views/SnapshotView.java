package dev.meshgate.admin.views;

import dev.meshgate.config.snapshot.ConfigSnapshot;

/**
 * {@code GET /config_dump}: the snapshot the data plane is serving now. The admin server encodes it
 * (version, hash, createdAt, every resource in its Kubernetes form).
 */
@FunctionalInterface
public interface SnapshotView {

    ConfigSnapshot current();
}

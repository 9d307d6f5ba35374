package dev.meshgate.gateway.upstream.registry;

import dev.meshgate.config.snapshot.ConfigSnapshot;

import java.util.List;

/**
 * Somewhere services and their endpoints come from. Sources are asked in order and list their services oldest
 * first; the first visible definition of a host wins (see ClusterCompiler for same-namespace port merging).
 */
public interface ServiceSource {

    List<RegistryService> services(ConfigSnapshot snapshot);
}

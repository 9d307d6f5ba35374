package dev.meshgate.gateway.upstream.registry;

import dev.meshgate.config.snapshot.ConfigSnapshot;

import java.util.List;

/** Somewhere services and their endpoints come from. Sources are asked in order; the first to name a host wins. */
public interface ServiceSource {

    List<RegistryService> services(ConfigSnapshot snapshot);
}

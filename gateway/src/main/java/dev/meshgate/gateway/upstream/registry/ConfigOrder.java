package dev.meshgate.gateway.upstream.registry;

import dev.meshgate.config.model.Resource;

import java.time.Instant;
import java.util.Comparator;

/** Istio's precedence between resources defining the same thing: oldest first, then name, then namespace. */
final class ConfigOrder {

    static final Comparator<Resource<?>> OLDEST_FIRST = Comparator
            .comparing((Resource<?> r) -> r.metadata().creationTimestamp() == null ? Instant.EPOCH
                    : r.metadata().creationTimestamp())
            .thenComparing(r -> String.valueOf(r.name()))
            .thenComparing(r -> String.valueOf(r.namespace()));

    private ConfigOrder() {
    }
}

package dev.meshgate.config.snapshot;

import dev.meshgate.config.model.Resource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One immutable, versioned view of the whole configuration. Consumers swap it atomically (one volatile
 * reference); nothing in it changes after construction.
 *
 * @param version   monotonic per process: each applied snapshot gets a higher one
 * @param hash      content hash (hex SHA-256 over the canonical encoding); equal content, equal hash
 * @param resources every accepted resource, in a stable order (kind, namespace, name)
 * @param createdAt when this snapshot was built
 */
public record ConfigSnapshot(long version, String hash, List<Resource<?>> resources, Instant createdAt) {

    public static final ConfigSnapshot EMPTY = new ConfigSnapshot(0, "", List.of(), Instant.EPOCH);

    public ConfigSnapshot {
        resources = List.copyOf(resources);
    }

    /** All resources whose spec is of the given record type, e.g. {@code all(VirtualService.class)}. */
    @SuppressWarnings("unchecked")
    public <T extends Record> List<Resource<T>> all(Class<T> specType) {
        List<Resource<T>> out = new ArrayList<>();
        for (Resource<?> r : resources) {
            if (specType.isInstance(r.spec())) {
                out.add((Resource<T>) r);
            }
        }
        return Collections.unmodifiableList(out);
    }
}

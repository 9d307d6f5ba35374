package dev.meshgate.config.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The collection normalisation every model record applies in its compact constructor (model convention 5):
 * null becomes empty, the result is an unmodifiable copy, and maps keep insertion order (header and label maps
 * are ordered in Istio's YAML and diagnostics should list them as written).
 */
public final class Copies {

    private Copies() {
    }

    /** An unmodifiable copy; null is the empty list. Null elements are rejected (the binder reports them). */
    public static <T> List<T> list(List<T> in) {
        return in == null ? List.of() : List.copyOf(in);
    }

    /** An unmodifiable insertion-ordered copy; null is the empty map. Null keys and values are rejected. */
    public static <K, V> Map<K, V> map(Map<K, V> in) {
        if (in == null || in.isEmpty()) {
            return Map.of();
        }
        LinkedHashMap<K, V> copy = new LinkedHashMap<>(in.size() * 2);
        in.forEach((k, v) -> copy.put(
                Objects.requireNonNull(k, "null map key"),
                Objects.requireNonNull(v, () -> "null value for map key " + k)));
        return Collections.unmodifiableMap(copy);
    }
}

package dev.meshgate.gateway.exchange;

import io.vertx.core.MultiMap;

import java.util.List;
import java.util.Map;

/**
 * Istio's HeaderOperations compiled for one direction. Envoy order: remove first, then set, then add
 * ({@code add} appends, {@code set} overwrites). Names are lower-cased at compile time.
 */
public record HeaderOps(Map<String, String> set, Map<String, String> add, List<String> remove) {

    public static final HeaderOps NONE = new HeaderOps(Map.of(), Map.of(), List.of());

    public HeaderOps {
        set = set == null ? Map.of() : Map.copyOf(set);
        add = add == null ? Map.of() : Map.copyOf(add);
        remove = remove == null ? List.of() : List.copyOf(remove);
    }

    public boolean isEmpty() {
        return set.isEmpty() && add.isEmpty() && remove.isEmpty();
    }

    public void applyTo(MultiMap headers) {
        for (String name : remove) {
            headers.remove(name);
        }
        for (Map.Entry<String, String> e : set.entrySet()) {
            headers.set(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : add.entrySet()) {
            headers.add(e.getKey(), e.getValue());
        }
    }
}

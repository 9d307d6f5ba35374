package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.List;
import java.util.Map;

/**
 * Istio's {@code Headers.HeaderOperations}. Maps keep the order written.
 *
 * @param set    overwrite or add
 * @param add    append (Envoy APPEND_IF_EXISTS_OR_ADD)
 * @param remove header names to remove (applied before set/add)
 */
public record HeaderOperations(Map<String, String> set, Map<String, String> add, List<String> remove) {

    public HeaderOperations {
        set = Copies.map(set);
        add = Copies.map(add);
        remove = Copies.list(remove);
    }

    public boolean isEmpty() {
        return set.isEmpty() && add.isEmpty() && remove.isEmpty();
    }
}

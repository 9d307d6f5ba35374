package dev.meshgate.config.store;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.model.Resource;

import java.util.List;

/**
 * The candidate resource list the snapshot builder consumes, and the layering errors found while merging.
 *
 * @param resources   every resource defined in exactly one layer, ordered by kind, namespace, name
 * @param diagnostics one error per resource defined in more than one layer (all its copies are left out)
 */
public record LayerMerge(List<Resource<?>> resources, List<Diagnostic> diagnostics) {

    public LayerMerge {
        resources = List.copyOf(resources);
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasConflicts() {
        return !diagnostics.isEmpty();
    }
}

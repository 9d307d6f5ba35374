package dev.meshgate.config.diag;

import dev.meshgate.config.model.Resource;

import java.util.List;

/**
 * What validation made of a set of resources.
 *
 * @param accepted    resources without field/schema errors (cross-resource findings never reject)
 * @param diagnostics every error, warning and notice, in a stable order
 */
public record ValidationResult(List<Resource<?>> accepted, List<Diagnostic> diagnostics) {

    public ValidationResult {
        accepted = List.copyOf(accepted);
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}

package dev.meshgate.config.yaml;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.model.Resource;

import java.util.List;

/**
 * What one load produced: the resources that bound without error (a resource with an error is left out, the
 * others of the same file are kept) and every error, warning and notice, in file order.
 */
public record LoadResult(List<Resource<?>> resources, List<Diagnostic> diagnostics) {

    public LoadResult {
        resources = List.copyOf(resources);
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }
}

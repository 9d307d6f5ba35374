package dev.meshgate.config.snapshot;

import dev.meshgate.config.diag.Diagnostic;

import java.util.List;

/** A configuration that cannot be applied, with every diagnostic that says why. */
public final class InvalidConfigException extends RuntimeException {

    private final transient List<Diagnostic> diagnostics;

    public InvalidConfigException(List<Diagnostic> diagnostics) {
        super(summary(diagnostics));
        this.diagnostics = List.copyOf(diagnostics);
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    private static String summary(List<Diagnostic> diagnostics) {
        List<Diagnostic> errors = diagnostics.stream().filter(Diagnostic::isError).toList();
        if (errors.isEmpty()) {
            return "invalid configuration";
        }
        String first = errors.get(0).format();
        return errors.size() == 1 ? "invalid configuration: " + first
                : "invalid configuration: " + first + " (and " + (errors.size() - 1) + " more errors)";
    }
}

package dev.meshgate.cli;

import picocli.CommandLine.Option;

/** How files are read, shared by {@code validate} and {@code run}. */
public final class LoadOptions {

    /** What an unknown field is. */
    public enum UnknownFields { error, warn }

    @Option(names = "--namespace", paramLabel = "NS", defaultValue = "default",
            description = "Namespace of resources without metadata.namespace (default: ${DEFAULT-VALUE}).")
    String namespace = "default";

    @Option(names = "--unknown-fields", paramLabel = "error|warn", defaultValue = "error",
            description = "Whether an unknown field is an error (default) or a warning, e.g. for configs written "
                    + "for a newer Istio.")
    UnknownFields unknownFields = UnknownFields.error;

    public String namespace() {
        return namespace;
    }

    public boolean unknownFieldsAsWarnings() {
        return unknownFields == UnknownFields.warn;
    }
}

package dev.meshgate.config.source.file;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.model.Resource;

import java.util.List;

/**
 * Parses the text of one config file. The file source reads each file once and hands the text over, so what is
 * parsed is exactly what was fingerprinted. Implemented by the YAML/JSON loader.
 */
@FunctionalInterface
public interface FileParser {

    Parsed parse(String sourceName, String text);

    /** Resources and findings of one or more files. */
    record Parsed(List<Resource<?>> resources, List<Diagnostic> diagnostics) {
        public Parsed {
            resources = List.copyOf(resources);
            diagnostics = List.copyOf(diagnostics);
        }
    }
}

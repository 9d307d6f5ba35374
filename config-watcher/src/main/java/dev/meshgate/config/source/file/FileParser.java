package dev.meshgate.config.source.file;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.yaml.LoadResult;
import dev.meshgate.config.yaml.ResourceLoader;

import java.util.List;

/**
 * Parses the text of one config file. The file source reads each file once and hands the text over, so what is
 * parsed is exactly what was fingerprinted. Implemented by the YAML/JSON loader.
 */
@FunctionalInterface
public interface FileParser {

    Parsed parse(String sourceName, String text);

    /** The YAML/JSON loader as a file parser. */
    static FileParser of(ResourceLoader loader) {
        return (name, text) -> {
            LoadResult r = loader.load(name, text);
            return new Parsed(r.resources(), r.diagnostics());
        };
    }

    /** Resources and findings of one or more files. */
    record Parsed(List<Resource<?>> resources, List<Diagnostic> diagnostics) {
        public Parsed {
            resources = List.copyOf(resources);
            diagnostics = List.copyOf(diagnostics);
        }
    }
}

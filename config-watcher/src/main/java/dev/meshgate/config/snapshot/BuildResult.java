package dev.meshgate.config.snapshot;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.diag.Severity;
import dev.meshgate.config.model.Resource;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A candidate configuration: what loading plus validation made of a set of sources, before it gets a version.
 *
 * @param resources   the accepted resources (no errors, no duplicates), sorted by kind, namespace, name
 * @param hash        content hash of {@code resources}, see {@link ContentHash}
 * @param diagnostics every load, duplicate and validation finding (errors, warnings, notices), in the order
 *                    they were reported
 */
public record BuildResult(List<Resource<?>> resources, String hash, List<Diagnostic> diagnostics) {

    public BuildResult {
        resources = List.copyOf(resources);
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    public long count(Severity severity) {
        return diagnostics.stream().filter(d -> d.severity() == severity).count();
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    /** Resource counts by kind name, sorted by kind name, e.g. {@code {Gateway=1, VirtualService=3}}. */
    public Map<String, Integer> countsByKind() {
        return countsByKind(resources);
    }

    static Map<String, Integer> countsByKind(List<Resource<?>> resources) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Resource<?> r : resources) {
            counts.merge(r.kind().kind(), 1, Integer::sum);
        }
        return counts;
    }
}

package dev.meshgate.config.yaml;

import dev.meshgate.config.diag.Diagnostic;
import org.yaml.snakeyaml.nodes.Node;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutable state of binding one document: where diagnostics go, the line of every bound path, and the guards
 * against documents that are small on disk but huge once aliases are expanded (or recursive).
 */
final class BindContext {

    /** Returned by a binding that reported an error; never escapes the binder. */
    static final Object FAILED = new Object() {
        @Override
        public String toString() {
            return "<failed>";
        }
    };

    /** Stops binding a document at once (budget exhausted); the diagnostic is already recorded. */
    static final class Abort extends RuntimeException {
        Abort() {
            super(null, null, false, false);
        }
    }

    final String file;
    final LoaderOptions options;
    final List<Diagnostic> diagnostics;
    final Map<String, Integer> fieldLines = new HashMap<>();
    String resource;
    int errors;
    private int nodes;
    private int depth;

    BindContext(String file, LoaderOptions options, List<Diagnostic> diagnostics) {
        this.file = file;
        this.options = options;
        this.diagnostics = diagnostics;
    }

    static int lineOf(Node node) {
        return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    void recordLine(String path, Node node) {
        int line = lineOf(node);
        if (line > 0) {
            fieldLines.putIfAbsent(path, line);
        }
    }

    Object error(Node node, String path, String message) {
        errors++;
        diagnostics.add(Diagnostic.error(file, lineOf(node), resource, path, message));
        return FAILED;
    }

    void warning(Node node, String path, String message) {
        diagnostics.add(Diagnostic.warning(file, lineOf(node), resource, path, message));
    }

    /** Counts a visited node; aborts the document when the budget is spent. */
    void visit(Node node, String path) {
        if (++nodes > options.maxNodesPerDocument()) {
            error(node, path, "document too large: more than " + options.maxNodesPerDocument()
                    + " YAML nodes once aliases are expanded");
            throw new Abort();
        }
    }

    /**
     * Enters a collection; aborts the document when nesting is too deep. The parser already limits nesting and the
     * loader refuses recursive aliases up front, so this is a backstop for callers that bind nodes directly.
     */
    void enter(Node node, String path) {
        if (++depth > options.maxNestingDepth()) {
            error(node, path, "nesting deeper than " + options.maxNestingDepth() + " levels (recursive alias?)");
            throw new Abort();
        }
    }

    void leave() {
        depth--;
    }
}

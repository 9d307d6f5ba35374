package dev.meshgate.config.model;

import java.util.Map;

/**
 * Where a resource came from, so every diagnostic can name the file and line.
 *
 * @param file       the file (or "admin-api", "kubernetes", ...) the resource was read from
 * @param line       1-based line of the resource's first key; 0 when unknown
 * @param fieldLines field path (as in diagnostics: {@code spec.http[0].route[1].weight}) to its 1-based line
 */
public record SourceRef(String file, int line, Map<String, Integer> fieldLines) {

    public static final SourceRef UNKNOWN = new SourceRef("<unknown>", 0, Map.of());

    public SourceRef {
        fieldLines = fieldLines == null ? Map.of() : Map.copyOf(fieldLines);
    }

    public static SourceRef of(String file) {
        return new SourceRef(file, 0, Map.of());
    }

    /** The line of the path, else of its nearest recorded parent, else of the resource. */
    public int lineOf(String path) {
        String p = path;
        while (p != null && !p.isEmpty()) {
            Integer l = fieldLines.get(p);
            if (l != null) {
                return l;
            }
            p = parentOf(p);
        }
        return line;
    }

    static String parentOf(String path) {
        if (path.endsWith("]")) {
            int open = path.lastIndexOf('[');
            return open <= 0 ? null : path.substring(0, open);
        }
        int dot = path.lastIndexOf('.');
        int open = path.lastIndexOf('[');
        int cut = Math.max(dot, open);
        return cut <= 0 ? null : path.substring(0, cut);
    }
}

package dev.meshgate.config.diag;

/**
 * One finding about the configuration, formatted the way every tool of ours prints it:
 * {@code reviews.yaml:23: VirtualService default/reviews: spec.http[0].route[1].weight: must be >= 0}.
 *
 * @param file     file name (or source name); null when not known
 * @param line     1-based line; 0 when not known
 * @param resource {@code Kind namespace/name}; null for file-level problems (YAML syntax, size limits)
 * @param field    field path such as {@code spec.http[0].retries}; null when the finding is about the whole resource
 * @param message  what is wrong, lower case, no trailing period
 */
public record Diagnostic(Severity severity, String file, int line, String resource, String field, String message) {

    public static Diagnostic error(String file, int line, String resource, String field, String message) {
        return new Diagnostic(Severity.ERROR, file, line, resource, field, message);
    }

    public static Diagnostic warning(String file, int line, String resource, String field, String message) {
        return new Diagnostic(Severity.WARNING, file, line, resource, field, message);
    }

    public static Diagnostic info(String file, int line, String resource, String field, String message) {
        return new Diagnostic(Severity.INFO, file, line, resource, field, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:line: Resource ns/name: field: message}; parts that are unknown are left out. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file);
            if (line > 0) {
                sb.append(':').append(line);
            }
            sb.append(": ");
        }
        if (resource != null) {
            sb.append(resource).append(": ");
        }
        if (field != null && !field.isEmpty()) {
            sb.append(field).append(": ");
        }
        sb.append(message);
        return sb.toString();
    }

    @Override
    public String toString() {
        return severity + " " + format();
    }
}

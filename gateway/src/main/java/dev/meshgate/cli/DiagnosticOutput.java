package dev.meshgate.cli;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.diag.Severity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.util.List;

/** Prints diagnostics for people (one {@link Diagnostic#format()} line each) or as JSON for machines. */
final class DiagnosticOutput {

    private DiagnosticOutput() {
    }

    /** Errors exactly as {@link Diagnostic#format()}; warnings and notices with a {@code warning: }/{@code info: } prefix. */
    static String line(Diagnostic d) {
        return switch (d.severity()) {
            case ERROR -> d.format();
            case WARNING -> "warning: " + d.format();
            case INFO -> "info: " + d.format();
        };
    }

    static void printText(PrintWriter out, List<Diagnostic> diagnostics) {
        for (Diagnostic d : diagnostics) {
            out.println(line(d));
        }
    }

    /**
     * A JSON array of {@code {"severity","file","line","resource","field","message"}}; severity is
     * {@code error|warning|info}; unknown file, resource, field are null, an unknown line is null.
     */
    static JsonArray json(List<Diagnostic> diagnostics) {
        JsonArray array = new JsonArray();
        for (Diagnostic d : diagnostics) {
            array.add(new JsonObject()
                    .put("severity", d.severity().name().toLowerCase())
                    .put("file", d.file())
                    .put("line", d.line() > 0 ? d.line() : null)
                    .put("resource", d.resource())
                    .put("field", d.field() == null || d.field().isEmpty() ? null : d.field())
                    .put("message", d.message()));
        }
        return array;
    }

    static String count(long n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    static long count(List<Diagnostic> diagnostics, Severity severity) {
        return diagnostics.stream().filter(d -> d.severity() == severity).count();
    }
}

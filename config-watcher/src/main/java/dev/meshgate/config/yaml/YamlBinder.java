package dev.meshgate.config.yaml;

import dev.meshgate.config.diag.Diagnostic;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Binds one YAML/JSON document to any model type (a spec record, a single message) without the resource
 * envelope: for tools and APIs that receive a bare spec. Same rules, errors and limits as {@link ResourceLoader}.
 */
public final class YamlBinder {

    /**
     * @param value       the bound value; null when there were errors (or the document was empty)
     * @param fieldLines  the line of every bound field path
     * @param diagnostics errors and warnings, paths prefixed with the root path given
     */
    public record Bound<T>(T value, Map<String, Integer> fieldLines, List<Diagnostic> diagnostics) {
        public Bound {
            fieldLines = Map.copyOf(fieldLines);
            diagnostics = List.copyOf(diagnostics);
        }

        public boolean hasErrors() {
            return diagnostics.stream().anyMatch(Diagnostic::isError);
        }
    }

    private YamlBinder() {
    }

    /**
     * @param rootPath path prefix for diagnostics and field lines, e.g. {@code "spec"}; "" for none
     */
    public static <T> Bound<T> bind(String sourceName, String text, Class<T> type, String rootPath,
                                    LoaderOptions options) {
        List<Diagnostic> diags = new ArrayList<>();
        BindContext ctx = new BindContext(sourceName, options, diags);
        Object value = null;
        if (text.length() > options.maxFileBytes()) {
            ctx.error(null, null, "content is larger than the limit of " + options.maxFileBytes());
            return new Bound<>(null, Map.of(), diags);
        }
        try {
            Node root = YamlParser.create(options).compose(new StringReader(text));
            String tooBig = root == null ? null : ResourceLoader.checkExpandedSize(root, options);
            if (tooBig != null) {
                diags.add(Diagnostic.error(sourceName, BindContext.lineOf(root), null, null, tooBig));
                return new Bound<>(null, Map.of(), diags);
            }
            TypeBinding binding = TypeBinding.of(type);
            if (root == null && binding instanceof TypeBinding.RecordBinding) {
                root = new MappingNode(Tag.MAP, List.of(), DumperOptions.FlowStyle.AUTO);
            }
            value = binding.bind(root, rootPath, ctx);
        } catch (BindContext.Abort abort) {
            value = null;
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            diags.add(Diagnostic.error(sourceName, line, null, null, "invalid YAML: " + e.getProblem()));
        } catch (YAMLException | IllegalArgumentException | StackOverflowError e) {
            diags.add(Diagnostic.error(sourceName, 0, null, null, "invalid YAML: " + e.getMessage()));
        }
        if (value == BindContext.FAILED || ctx.errors > 0) {
            value = null;
        }
        return new Bound<>(type.cast(value), ctx.fieldLines, diags);
    }

    public static <T> Bound<T> bind(String sourceName, String text, Class<T> type) {
        return bind(sourceName, text, type, "", LoaderOptions.defaults());
    }
}

package dev.meshgate.config.validation;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.yaml.FieldPath;

import java.util.List;

/**
 * Where a validator is inside a resource: the field path ({@code spec.http[0].route[1].weight}) plus the sink the
 * findings go to. Children are cheap immutable values, so a validator walks the record tree by handing a child
 * context down and never has to assemble paths or look up lines itself.
 */
public final class FieldContext {

    private final Resource<?> resource;
    private final String path;
    private final List<Diagnostic> sink;

    private FieldContext(Resource<?> resource, String path, List<Diagnostic> sink) {
        this.resource = resource;
        this.path = path;
        this.sink = sink;
    }

    /** The context of the resource itself (empty path); findings are appended to {@code sink}. */
    public static FieldContext root(Resource<?> resource, List<Diagnostic> sink) {
        return new FieldContext(resource, "", sink);
    }

    public FieldContext field(String name) {
        return new FieldContext(resource, FieldPath.field(path, name), sink);
    }

    public FieldContext index(int i) {
        return new FieldContext(resource, FieldPath.index(path, i), sink);
    }

    /** A map entry, {@code headers[x-user]}, spelled as the loader records its line. */
    public FieldContext key(Object key) {
        return new FieldContext(resource, FieldPath.key(path, key), sink);
    }

    /** The context of the whole resource (empty path), for metadata rules. */
    public FieldContext top() {
        return new FieldContext(resource, "", sink);
    }

    public String path() {
        return path;
    }

    public Resource<?> resource() {
        return resource;
    }

    public String namespace() {
        return resource.namespace();
    }

    public void error(String message) {
        sink.add(Diagnostic.error(resource.source().file(), line(), resource.displayName(), fieldOrNull(), message));
    }

    public void warn(String message) {
        sink.add(Diagnostic.warning(resource.source().file(), line(), resource.displayName(), fieldOrNull(), message));
    }

    /** Shorthand for {@code field(name).error(message)}. */
    public void error(String name, String message) {
        field(name).error(message);
    }

    /** Shorthand for {@code field(name).warn(message)}. */
    public void warn(String name, String message) {
        field(name).warn(message);
    }

    private int line() {
        return path.isEmpty() ? resource.source().line() : resource.source().lineOf(path);
    }

    private String fieldOrNull() {
        return path.isEmpty() ? null : path;
    }
}

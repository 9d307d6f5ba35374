package dev.meshgate.config.yaml;

/**
 * Builds field paths the way every diagnostic and {@link dev.meshgate.config.model.SourceRef#fieldLines()} spells
 * them: {@code spec.http[0].route[1].weight}; map entries follow Kubernetes' field paths,
 * {@code metadata.labels[app]}, {@code spec.http[0].match[0].headers[end-user].exact}. Validators must build
 * paths with these methods so their findings get the line the loader recorded.
 */
public final class FieldPath {

    private FieldPath() {
    }

    /** {@code parent.name}, or {@code name} at the root. */
    public static String field(String parent, String name) {
        return parent == null || parent.isEmpty() ? name : parent + "." + name;
    }

    /** {@code parent[i]}. */
    public static String index(String parent, int i) {
        return parent + "[" + i + "]";
    }

    /** {@code parent[key]}, a map entry. */
    public static String key(String parent, Object key) {
        return parent + "[" + key + "]";
    }
}

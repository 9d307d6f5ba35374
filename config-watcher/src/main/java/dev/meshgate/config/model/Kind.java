package dev.meshgate.config.model;

import java.util.List;

/**
 * Every resource kind Meshgate understands, with the API group, served versions, plural (for Kubernetes-style
 * paths) and the spec record it binds to. All served versions of a kind share one schema, as in Istio.
 */
public enum Kind {
    ; // constants are added with the model records

    private final String group;
    private final String kind;
    private final String plural;
    private final List<String> versions;
    private final Class<? extends Record> specClass;

    Kind(String group, String kind, String plural, List<String> versions, Class<? extends Record> specClass) {
        this.group = group;
        this.kind = kind;
        this.plural = plural;
        this.versions = List.copyOf(versions);
        this.specClass = specClass;
    }

    public String group() {
        return group;
    }

    public String kind() {
        return kind;
    }

    public String plural() {
        return plural;
    }

    public List<String> versions() {
        return versions;
    }

    public Class<? extends Record> specClass() {
        return specClass;
    }
}

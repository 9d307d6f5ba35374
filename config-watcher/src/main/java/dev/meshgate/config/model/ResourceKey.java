package dev.meshgate.config.model;

/** Identity of a resource: kind, namespace, name. Prints as {@code VirtualService default/reviews}. */
public record ResourceKey(Kind kind, String namespace, String name) {

    @Override
    public String toString() {
        return kind.kind() + " " + namespace + "/" + name;
    }
}

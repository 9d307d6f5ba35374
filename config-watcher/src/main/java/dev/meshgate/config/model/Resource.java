package dev.meshgate.config.model;

import java.util.Objects;

/**
 * One Istio resource: the Kubernetes envelope around an immutable spec record.
 *
 * @param apiVersion as written, e.g. {@code networking.istio.io/v1beta1}; all served versions share one spec
 * @param spec       the spec record of {@link Kind#specClass()}
 * @param source     where it was read from, for diagnostics
 */
public record Resource<S extends Record>(String apiVersion, Kind kind, ObjectMeta metadata, S spec, SourceRef source) {

    public Resource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
        source = source == null ? SourceRef.UNKNOWN : source;
    }

    public ResourceKey key() {
        return new ResourceKey(kind, metadata.namespace(), metadata.name());
    }

    public String name() {
        return metadata.name();
    }

    public String namespace() {
        return metadata.namespace();
    }

    /** {@code VirtualService default/reviews}, as diagnostics name resources. */
    public String displayName() {
        return key().toString();
    }

    public Resource<S> withSource(SourceRef newSource) {
        return new Resource<>(apiVersion, kind, metadata, spec, newSource);
    }

    public Resource<S> withMetadata(ObjectMeta newMeta) {
        return new Resource<>(apiVersion, kind, newMeta, spec, source);
    }

    @SuppressWarnings("unchecked")
    public <T extends Record> Resource<T> as(Class<T> specType) {
        if (!specType.isInstance(spec)) {
            throw new ClassCastException(displayName() + " has spec " + spec.getClass().getSimpleName());
        }
        return (Resource<T>) this;
    }
}

package dev.meshgate.config.store;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.ResourceKey;
import dev.meshgate.config.model.SourceRef;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where resources come from, made explicit: the file layer (replaced wholesale on every file load) and the
 * API/cluster layer (a {@link ResourceStore}). A resource may be defined in one layer only; one defined in two is
 * an error naming both definitions, and neither copy is used (never a silent override, whichever layer changed
 * last). The admin API refuses writes that would create such a conflict ({@link #fileResource}), so in practice
 * conflicts come from a file edited to define a resource the store already holds.
 *
 * <p>Wiring: the file source calls {@link #setFileLayer} with every successful load, a {@link StoreListener} on
 * {@link #store()} schedules a rebuild, and each rebuild feeds {@link #candidates()} to the snapshot builder.
 */
public final class ConfigLayers {

    public static final String FILE = "file";
    public static final String API = "api";

    private final ResourceStore store;
    private volatile Map<ResourceKey, Resource<?>> fileLayer = Map.of();
    private volatile List<Resource<?>> fileResources = List.of();

    public ConfigLayers(ResourceStore store) {
        this.store = store;
    }

    public ResourceStore store() {
        return store;
    }

    /** Replaces the file layer with the resources of the latest file load. */
    public void setFileLayer(List<Resource<?>> resources) {
        Map<ResourceKey, Resource<?>> byKey = new LinkedHashMap<>();
        for (Resource<?> r : resources) {
            byKey.putIfAbsent(r.key(), r);
        }
        fileResources = List.copyOf(resources);
        fileLayer = Map.copyOf(byKey);
    }

    public List<Resource<?>> fileResources() {
        return fileResources;
    }

    /** The file-layer definition of a key, if any (the admin API refuses to shadow it). */
    public Optional<Resource<?>> fileResource(ResourceKey key) {
        return Optional.ofNullable(fileLayer.get(key));
    }

    /** The file layer merged with the store's current content. */
    public Future<LayerMerge> candidates() {
        List<Resource<?>> files = fileResources;
        return store.listAll().map(api -> merge(List.of(new ConfigLayer(FILE, files), new ConfigLayer(API, api))));
    }

    /** Merges layers; a key defined in more than one layer yields one error and none of its copies. */
    public static LayerMerge merge(List<ConfigLayer> layers) {
        Map<ResourceKey, Set<String>> layersOf = new LinkedHashMap<>();
        Map<ResourceKey, List<Definition>> definitions = new LinkedHashMap<>();
        for (ConfigLayer layer : layers) {
            for (Resource<?> r : layer.resources()) {
                layersOf.computeIfAbsent(r.key(), k -> new LinkedHashSet<>()).add(layer.name());
                definitions.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(new Definition(layer.name(), r));
            }
        }
        List<Resource<?>> out = new ArrayList<>();
        List<Diagnostic> diagnostics = new ArrayList<>();
        for (Map.Entry<ResourceKey, List<Definition>> e : definitions.entrySet()) {
            if (layersOf.get(e.getKey()).size() > 1) {
                diagnostics.add(conflict(e.getKey(), e.getValue()));
            } else {
                for (Definition d : e.getValue()) {
                    out.add(d.resource());
                }
            }
        }
        out.sort(InMemoryResourceStore.ORDER);
        return new LayerMerge(out, diagnostics);
    }

    /** The error for a key defined in several layers, naming every definition. */
    public static Diagnostic conflict(ResourceKey key, List<Definition> defs) {
        StringBuilder where = new StringBuilder();
        for (int i = 0; i < defs.size(); i++) {
            if (i > 0) {
                where.append(i == defs.size() - 1 ? " and " : ", ");
            }
            where.append(defs.get(i).describe());
        }
        SourceRef first = defs.get(0).resource().source();
        return Diagnostic.error(first.file(), first.line(), key.toString(), null,
                "defined in more than one layer: " + where
                        + "; a resource may be defined in one layer only, so neither is applied until one is removed");
    }

    /** One definition of a resource in one layer. */
    public record Definition(String layer, Resource<?> resource) {

        String describe() {
            SourceRef s = resource.source();
            StringBuilder sb = new StringBuilder(layer).append(" layer (").append(s.file());
            if (s.line() > 0) {
                sb.append(':').append(s.line());
            }
            String rv = resource.metadata().resourceVersion();
            if (rv != null) {
                sb.append(", resourceVersion ").append(rv);
            }
            return sb.append(')').toString();
        }
    }
}

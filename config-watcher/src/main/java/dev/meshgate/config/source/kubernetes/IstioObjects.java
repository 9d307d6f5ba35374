package dev.meshgate.config.source.kubernetes;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.SourceRef;
import dev.meshgate.config.source.file.FileParser;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Istio objects from the API server through the same loader as files: each object's envelope is written as JSON
 * and parsed, so field rules, unknown-field handling and diagnostics are exactly those of a file. Each object is
 * named {@code kubernetes:<Kind>/<namespace>/<name>} in diagnostics and {@link SourceRef}.
 *
 * <p>Only the metadata fields the model uses go into the text, and not {@code resourceVersion} or {@code status}:
 * they change on every status write (istiod's, for one) without any change of meaning, and would otherwise give
 * every such write a new snapshot. Parsed objects are cached by uid and resourceVersion, so a rebuild parses only
 * what changed. Not thread-safe: the source's worker thread is the only caller.
 */
final class IstioObjects {

    private record Cached(String resourceVersion, FileParser.Parsed parsed) {
    }

    private final FileParser parser;
    private final KubernetesSerialization json;
    private final Map<String, Cached> cache = new HashMap<>();

    IstioObjects(FileParser parser, KubernetesSerialization json) {
        this.parser = parser;
        this.json = json;
    }

    /** Converts every object, appending resources and diagnostics; drops cache entries of objects now gone. */
    void convert(Collection<GenericKubernetesResource> objects, List<Resource<?>> resources,
                 List<Diagnostic> diagnostics, Set<String> seen) {
        for (GenericKubernetesResource o : objects) {
            ObjectMeta m = o.getMetadata();
            String key = m.getUid() != null ? m.getUid()
                    : o.getKind() + "/" + m.getNamespace() + "/" + m.getName();
            seen.add(key);
            Cached c = cache.get(key);
            if (c == null || m.getResourceVersion() == null || !m.getResourceVersion().equals(c.resourceVersion())) {
                c = new Cached(m.getResourceVersion(), parse(o));
                cache.put(key, c);
            }
            resources.addAll(c.parsed().resources());
            diagnostics.addAll(c.parsed().diagnostics());
        }
    }

    void retain(Set<String> seen) {
        cache.keySet().retainAll(seen);
    }

    private FileParser.Parsed parse(GenericKubernetesResource o) {
        ObjectMeta m = o.getMetadata();
        String name = sourceName(o.getKind(), m.getNamespace(), m.getName());
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", m.getName());
        meta.put("namespace", m.getNamespace());
        putIfNotEmpty(meta, "labels", m.getLabels());
        putIfNotEmpty(meta, "annotations", m.getAnnotations());
        if (m.getCreationTimestamp() != null) {
            meta.put("creationTimestamp", m.getCreationTimestamp());
        }
        if (m.getGeneration() != null) {
            meta.put("generation", m.getGeneration());
        }
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("apiVersion", o.getApiVersion());
        envelope.put("kind", o.getKind());
        envelope.put("metadata", meta);
        Object spec = o.getAdditionalProperties().get("spec");
        if (spec != null) {
            envelope.put("spec", spec);
        }
        FileParser.Parsed p = parser.parse(name, json.asJson(envelope));
        // line numbers of a text we generated would only mislead: name the object, not a line of it
        List<Resource<?>> resources = new ArrayList<>();
        for (Resource<?> r : p.resources()) {
            resources.add(r.withSource(SourceRef.of(name)));
        }
        List<Diagnostic> diagnostics = new ArrayList<>();
        for (Diagnostic d : p.diagnostics()) {
            diagnostics.add(new Diagnostic(d.severity(), d.file(), 0, d.resource(), d.field(), d.message()));
        }
        return new FileParser.Parsed(resources, diagnostics);
    }

    static String sourceName(String kind, String namespace, String name) {
        return "kubernetes:" + kind + "/" + namespace + "/" + name;
    }

    private static void putIfNotEmpty(Map<String, Object> m, String key, Map<String, String> value) {
        if (value != null && !value.isEmpty()) {
            m.put(key, value);
        }
    }
}

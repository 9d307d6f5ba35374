package dev.meshgate.admin.resources;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.model.Resource;

import java.util.List;
import java.util.Map;

/**
 * Text to resources and back, as the rest of Meshgate does it (the config-watcher codec), so the API accepts
 * exactly what files accept and reports the same diagnostics.
 */
public interface ResourceCodec {

    /**
     * Loads every resource in a YAML or JSON document.
     *
     * @param sourceName       names the text in diagnostics ({@code request-body:7: ...})
     * @param defaultNamespace the namespace of resources that name none (the request path's)
     */
    Decoded decode(String sourceName, String text, String defaultNamespace);

    /** The Kubernetes form of a resource (apiVersion, kind, metadata, spec) as a plain Map/List/scalar tree. */
    Map<String, Object> encode(Resource<?> resource);

    record Decoded(List<Resource<?>> resources, List<Diagnostic> diagnostics) {

        public Decoded {
            resources = List.copyOf(resources);
            diagnostics = List.copyOf(diagnostics);
        }
    }
}

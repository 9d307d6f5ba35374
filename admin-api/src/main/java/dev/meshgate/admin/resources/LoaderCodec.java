package dev.meshgate.admin.resources;

import dev.meshgate.config.model.Resource;
import dev.meshgate.config.yaml.LoadResult;
import dev.meshgate.config.yaml.LoaderOptions;
import dev.meshgate.config.yaml.ResourceEncoder;
import dev.meshgate.config.yaml.ResourceLoader;

import java.util.Map;

/** The {@link ResourceCodec} of config-watcher: the same loader and encoder the files and the CLI use. */
public final class LoaderCodec implements ResourceCodec {

    private final LoaderOptions options;

    public LoaderCodec() {
        this(LoaderOptions.defaults());
    }

    /** @param options as the file source uses them (e.g. unknown fields as warnings), so both layers agree */
    public LoaderCodec(LoaderOptions options) {
        this.options = options;
    }

    @Override
    public Decoded decode(String sourceName, String text, String defaultNamespace) {
        // a loader is a small map of kinds: cheaper to make per request than to cache per client-chosen namespace
        LoadResult r = new ResourceLoader(options.withDefaultNamespace(defaultNamespace)).load(sourceName, text);
        return new Decoded(r.resources(), r.diagnostics());
    }

    @Override
    public Map<String, Object> encode(Resource<?> resource) {
        return ResourceEncoder.toMap(resource);
    }
}

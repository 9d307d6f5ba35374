package dev.meshgate.cli;

import dev.meshgate.config.diag.ResourceValidator;
import dev.meshgate.config.source.file.FileParser;
import dev.meshgate.config.validation.ConfigValidator;
import dev.meshgate.config.yaml.LoaderOptions;
import dev.meshgate.config.yaml.ResourceLoader;

/** The one place the command line chooses its parser and validator, so validate and run agree. */
public final class ConfigPipeline {

    private ConfigPipeline() {
    }

    public static ResourceValidator validator() {
        return new ConfigValidator();
    }

    public static FileParser parser(LoadOptions options) {
        return FileParser.of(new ResourceLoader(loaderOptions(options)));
    }

    /** The loader settings of the files, which the admin API uses too so both layers read alike. */
    public static LoaderOptions loaderOptions(LoadOptions options) {
        return LoaderOptions.defaults()
                .withDefaultNamespace(options.namespace())
                .withUnknownFieldsAsWarnings(options.unknownFieldsAsWarnings());
    }
}

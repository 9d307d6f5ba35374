package dev.meshgate.config.yaml;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * SnakeYAML set up for untrusted input. We only ever compose node trees (never construct objects), and the
 * default TagInspector refuses global tags such as {@code !!javax.script.ScriptEngineManager} outright.
 */
final class YamlParser {

    private YamlParser() {
    }

    /** A fresh instance: SnakeYAML's Yaml is not thread-safe. */
    static Yaml create(LoaderOptions options) {
        org.yaml.snakeyaml.LoaderOptions lo = new org.yaml.snakeyaml.LoaderOptions();
        lo.setAllowDuplicateKeys(false); // only the constructor checks this; Nodes.entries checks for us
        lo.setMaxAliasesForCollections(options.maxAliasesForCollections());
        lo.setAllowRecursiveKeys(false);
        lo.setNestingDepthLimit(options.maxNestingDepth());
        lo.setCodePointLimit((int) Math.min(Integer.MAX_VALUE - 1L, options.maxFileBytes()));
        lo.setMergeOnCompose(true);
        lo.setProcessComments(false);
        DumperOptions dumper = new DumperOptions();
        return new Yaml(new SafeConstructor(lo), new Representer(dumper), dumper, lo);
    }
}

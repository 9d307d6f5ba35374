package dev.meshgate.config.yaml;

import dev.meshgate.config.model.ObjectMeta;

/**
 * How the {@link ResourceLoader} reads configuration.
 *
 * @param defaultNamespace        the namespace of resources whose metadata names none (Istio/Kubernetes: "default")
 * @param unknownFieldsAsWarnings report fields the model does not know as warnings and ignore them, instead of
 *                                rejecting the resource; for configs written for a newer Istio than ours
 * @param maxFileBytes            files (and texts, counted in chars) larger than this are rejected before parsing
 * @param maxAliasesForCollections YAML aliases to lists/maps allowed per document (billion-laughs guard)
 * @param maxNestingDepth         nesting of YAML collections allowed, in the parser and in the binder (recursive
 *                                aliases)
 * @param maxNodesPerDocument     YAML nodes visited while binding one document, counting alias expansions: a small
 *                                document whose aliases expand to millions of nodes is rejected
 */
public record LoaderOptions(
        String defaultNamespace,
        boolean unknownFieldsAsWarnings,
        long maxFileBytes,
        int maxAliasesForCollections,
        int maxNestingDepth,
        int maxNodesPerDocument) {

    public static final long DEFAULT_MAX_FILE_BYTES = 16L * 1024 * 1024;
    /** SnakeYAML's own default; real Istio configs use a handful of anchors at most. */
    public static final int DEFAULT_MAX_ALIASES = 50;
    /** Istio resources nest ~15 levels; free-form Struct values a few more. */
    public static final int DEFAULT_MAX_NESTING_DEPTH = 64;
    public static final int DEFAULT_MAX_NODES_PER_DOCUMENT = 1_000_000;

    public LoaderOptions {
        if (defaultNamespace == null || defaultNamespace.isBlank()) {
            defaultNamespace = ObjectMeta.DEFAULT_NAMESPACE;
        }
        if (maxFileBytes <= 0 || maxAliasesForCollections < 0 || maxNestingDepth <= 0 || maxNodesPerDocument <= 0) {
            throw new IllegalArgumentException("loader limits must be positive");
        }
    }

    public static LoaderOptions defaults() {
        return new LoaderOptions(ObjectMeta.DEFAULT_NAMESPACE, false, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_ALIASES,
                DEFAULT_MAX_NESTING_DEPTH, DEFAULT_MAX_NODES_PER_DOCUMENT);
    }

    public LoaderOptions withDefaultNamespace(String ns) {
        return new LoaderOptions(ns, unknownFieldsAsWarnings, maxFileBytes, maxAliasesForCollections,
                maxNestingDepth, maxNodesPerDocument);
    }

    public LoaderOptions withUnknownFieldsAsWarnings(boolean warn) {
        return new LoaderOptions(defaultNamespace, warn, maxFileBytes, maxAliasesForCollections, maxNestingDepth,
                maxNodesPerDocument);
    }

    public LoaderOptions withMaxFileBytes(long max) {
        return new LoaderOptions(defaultNamespace, unknownFieldsAsWarnings, max, maxAliasesForCollections,
                maxNestingDepth, maxNodesPerDocument);
    }

    public LoaderOptions withMaxNodesPerDocument(int max) {
        return new LoaderOptions(defaultNamespace, unknownFieldsAsWarnings, maxFileBytes, maxAliasesForCollections,
                maxNestingDepth, max);
    }
}

package dev.meshgate.config.yaml;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.ObjectMeta;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.SourceRef;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.ReaderException;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Istio resources from YAML or JSON: multi-document streams, {@code kind: List} with {@code items},
 * anchors and merge keys. Every problem becomes a {@link Diagnostic} naming file, line, resource and field; no
 * input, however hostile, makes it throw. Thread-safe.
 */
public final class ResourceLoader {

    private static final Set<String> ENVELOPE = Set.of("apiVersion", "kind", "metadata", "spec", "status");
    private static final List<String> ENVELOPE_ORDER = List.of("apiVersion", "kind", "metadata", "spec", "status");
    /** Istio kinds of our groups that Meshgate does not implement. */
    private static final Set<String> UNSERVED_ISTIO_KINDS = Set.of("EnvoyFilter", "ProxyConfig");
    private static final TypeBinding.RecordBinding META = new TypeBinding.RecordBinding(ObjectMeta.class);

    private final LoaderOptions options;
    /** group -> kind name -> Kind. */
    private final Map<String, Map<String, Kind>> kinds = new HashMap<>();

    public ResourceLoader(LoaderOptions options) {
        this.options = options == null ? LoaderOptions.defaults() : options;
        for (Kind k : Kind.values()) {
            kinds.computeIfAbsent(k.group(), g -> new HashMap<>()).put(k.kind(), k);
        }
    }

    public ResourceLoader() {
        this(LoaderOptions.defaults());
    }

    public LoaderOptions options() {
        return options;
    }

    /** Loads one file; its path as given names it in diagnostics and {@link SourceRef#file()}. */
    public LoadResult load(Path file) {
        String name = file.toString();
        try {
            long size = Files.size(file);
            if (size > options.maxFileBytes()) {
                return fileError(name, "file is " + size + " bytes, larger than the limit of "
                        + options.maxFileBytes() + " bytes");
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                // the file may grow between size() and read(): never read past the limit
                bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8L, options.maxFileBytes() + 1));
            }
            if (bytes.length > options.maxFileBytes()) {
                return fileError(name, "file is larger than the limit of " + options.maxFileBytes() + " bytes");
            }
            String text;
            try {
                text = decode(bytes);
            } catch (NotTextException e) {
                return fileError(name, e.getMessage());
            }
            return load(name, text);
        } catch (IOException | RuntimeException e) {
            return fileError(name, "cannot read file: " + e);
        }
    }

    /** Loads YAML or JSON text; {@code sourceName} names it in diagnostics. */
    public LoadResult load(String sourceName, String text) {
        if (text == null) {
            return fileError(sourceName, "no content");
        }
        if (text.length() > options.maxFileBytes()) {
            return fileError(sourceName, "content is " + text.length() + " characters, larger than the limit of "
                    + options.maxFileBytes());
        }
        List<Resource<?>> resources = new ArrayList<>();
        List<Diagnostic> diagnostics = new ArrayList<>();
        try {
            Iterator<Node> docs = YamlParser.create(options).composeAll(new StringReader(text)).iterator();
            while (docs.hasNext()) {
                Node root = docs.next();
                loadDocument(root, sourceName, resources, diagnostics);
            }
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
            String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
            diagnostics.add(Diagnostic.error(sourceName, line, null, null, "invalid YAML: " + problem + context));
        } catch (ReaderException e) {
            diagnostics.add(Diagnostic.error(sourceName, lineAt(text, e.getPosition()), null, null,
                    "invalid YAML: not a text file (character 0x" + Integer.toHexString(e.getCodePoint())
                            + " is not allowed)"));
        } catch (YAMLException e) {
            diagnostics.add(Diagnostic.error(sourceName, 0, null, null, "invalid YAML: " + firstLine(e.getMessage())));
        } catch (RuntimeException | StackOverflowError e) {
            diagnostics.add(Diagnostic.error(sourceName, 0, null, null, "cannot parse: " + e));
        }
        return new LoadResult(resources, diagnostics);
    }

    private void loadDocument(Node root, String file, List<Resource<?>> out, List<Diagnostic> diags) {
        if (Nodes.isNull(root)) {
            return; // empty document, e.g. a trailing "---" or a file of comments
        }
        String tooBig = checkExpandedSize(root, options);
        if (tooBig != null) {
            diags.add(Diagnostic.error(file, BindContext.lineOf(root), null, null, tooBig));
            return;
        }
        if (!(root instanceof MappingNode map)) {
            diags.add(Diagnostic.error(file, BindContext.lineOf(root), null, null,
                    "expected a resource (a mapping with apiVersion, kind, metadata, spec), got "
                            + Nodes.describe(root)));
            return;
        }
        loadObject(map, file, out, diags, true);
    }

    private void loadObject(MappingNode root, String file, List<Resource<?>> out, List<Diagnostic> diags,
                            boolean listAllowed) {
        BindContext ctx = new BindContext(file, options, diags);
        try {
            bindObject(root, ctx, out, listAllowed);
        } catch (BindContext.Abort abort) {
            // the diagnostic is recorded; the resource is dropped
        } catch (RuntimeException | StackOverflowError e) {
            ctx.error(root, null, "internal error while binding: " + e);
        }
    }

    private void bindObject(MappingNode root, BindContext ctx, List<Resource<?>> out, boolean listAllowed) {
        Nodes.admit(root, "", ctx);
        // envelope problems are reported once we know which resource this is (and not at all for foreign kinds)
        BindContext envelope = new BindContext(ctx.file, options, new ArrayList<>());
        Map<String, Map.Entry<ScalarNode, Node>> fields = new LinkedHashMap<>();
        for (Map.Entry<ScalarNode, Node> e : Nodes.entries(root, "", false, envelope)) {
            fields.put(e.getKey().getValue(), e);
        }
        String apiVersion = text(fields.get("apiVersion"), "apiVersion", ctx);
        String kindName = text(fields.get("kind"), "kind", ctx);
        if (kindName == null || kindName.isEmpty()) {
            flush(envelope, ctx);
            ctx.error(root, "kind", "is required");
            return;
        }
        Map.Entry<ScalarNode, Node> items = fields.get("items");
        if (listAllowed && items != null && (kindName.equals("List") || kindName.endsWith("List"))) {
            flush(envelope, ctx);
            loadItems(items.getValue(), ctx, out);
            return;
        }
        String group = "";
        String version = apiVersion == null ? "" : apiVersion;
        if (apiVersion != null && apiVersion.indexOf('/') >= 0) {
            group = apiVersion.substring(0, apiVersion.indexOf('/'));
            version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        }
        MappingNode metaNode = fields.get("metadata") != null && fields.get("metadata").getValue() instanceof MappingNode m
                ? m : null;
        String rawName = metaNode == null ? null : rawScalar(metaNode, "name");
        String rawNs = metaNode == null ? null : rawScalar(metaNode, "namespace");
        Kind kind = kinds.getOrDefault(group, Map.of()).get(kindName);
        if (apiVersion == null && Kind.byKindName(kindName).isPresent()) {
            ctx.error(root, "apiVersion", "is required (e.g. " + Kind.byKindName(kindName).get().preferredApiVersion()
                    + ")");
            return;
        }
        if (kind == null) {
            skipForeign(root, ctx, group, apiVersion, kindName, rawName);
            return;
        }
        String ns = rawNs == null || rawNs.isBlank() ? options.defaultNamespace() : rawNs;
        ctx.resource = kind.kind() + " " + ns + "/" + (rawName == null ? "<unnamed>" : rawName);
        flush(envelope, ctx);
        if (!kind.versions().contains(version)) {
            ctx.error(fields.get("apiVersion") == null ? root : fields.get("apiVersion").getKey(), "apiVersion",
                    (apiVersion == null ? "apiVersion is required" : "version \"" + version + "\" is not served")
                            + " for " + kind.group() + " " + kind.kind() + "; served versions: "
                            + String.join(", ", kind.versions()));
        }
        for (Map.Entry<String, Map.Entry<ScalarNode, Node>> f : fields.entrySet()) {
            ScalarNode key = f.getValue().getKey();
            ctx.recordLine(f.getKey(), key);
            if (!ENVELOPE.contains(f.getKey())) {
                String suggestion = Suggest.nearest(f.getKey(), ENVELOPE_ORDER);
                String hint = suggestion == null ? "" : "; did you mean \"" + suggestion + "\"?";
                if (options.unknownFieldsAsWarnings()) {
                    ctx.warning(key, f.getKey(), "unknown field, ignored" + hint);
                } else {
                    ctx.error(key, f.getKey(), "unknown field" + hint);
                }
            }
        }
        Object meta = fields.get("metadata") == null ? null
                : META.bind(fields.get("metadata").getValue(), "metadata", ctx);
        ObjectMeta metadata = meta instanceof ObjectMeta m ? m : null;
        if (meta != BindContext.FAILED && (metadata == null || metadata.name() == null || metadata.name().isBlank())) {
            Node at = fields.get("metadata") == null ? root : fields.get("metadata").getKey();
            ctx.error(at, "metadata.name", "is required");
        }
        if (metadata != null && (metadata.namespace() == null || metadata.namespace().isBlank())) {
            metadata = metadata.withNamespace(options.defaultNamespace());
        }
        Map.Entry<ScalarNode, Node> specField = fields.get("spec");
        Node specNode = specField == null || Nodes.isNull(specField.getValue())
                ? new MappingNode(Tag.MAP, List.of(), DumperOptions.FlowStyle.AUTO) : specField.getValue();
        Object spec = new TypeBinding.RecordBinding(kind.specClass()).bind(specNode, "spec", ctx);
        if (ctx.errors > 0 || metadata == null || !(spec instanceof Record)) {
            return;
        }
        SourceRef source = new SourceRef(ctx.file, BindContext.lineOf(root), ctx.fieldLines);
        out.add(new Resource<>(apiVersion, kind, metadata, (Record) spec, source));
    }

    /** Null when the document is fine; else why it is refused (alias expansion too large, recursive alias). */
    static String checkExpandedSize(Node root, LoaderOptions options) {
        try {
            long size = Nodes.expandedSize(root, options.maxNodesPerDocument());
            if (size > options.maxNodesPerDocument()) {
                return "document too large: more than " + options.maxNodesPerDocument()
                        + " YAML nodes once aliases are expanded";
            }
            return null;
        } catch (Nodes.RecursiveAliasException e) {
            return "recursive alias at line " + BindContext.lineOf(e.at) + ": a node may not contain itself";
        }
    }

    private static void flush(BindContext envelope, BindContext ctx) {
        for (Diagnostic d : envelope.diagnostics) {
            ctx.diagnostics.add(new Diagnostic(d.severity(), d.file(), d.line(), ctx.resource, d.field(), d.message()));
        }
        ctx.errors += envelope.errors;
    }

    /**
     * A resource that is not one of our kinds. Other APIs (a Deployment, Gateway API resources) are skipped with a
     * notice. In Istio's own groups, kinds Istio has but Meshgate does not serve get a warning (their intent is
     * silently lost otherwise); any other kind there is an error, most likely a typo.
     */
    private void skipForeign(MappingNode root, BindContext ctx, String group, String apiVersion, String kindName,
                             String rawName) {
        String what = (apiVersion == null ? "" : apiVersion + " ") + kindName
                + (rawName == null ? "" : " \"" + rawName + "\"");
        int line = BindContext.lineOf(root);
        if (!Kind.isIstioGroup(group)) {
            ctx.diagnostics.add(Diagnostic.info(ctx.file, line, null, null,
                    "skipped " + what + ": not a kind Meshgate serves"));
        } else if (UNSERVED_ISTIO_KINDS.contains(kindName)) {
            ctx.diagnostics.add(Diagnostic.warning(ctx.file, line, null, null,
                    "ignored " + what + ": Meshgate does not support this Istio kind"));
        } else {
            String suggestion = Suggest.nearest(kindName, kinds.getOrDefault(group, Map.of()).keySet());
            ctx.error(root, "kind", "unknown kind \"" + kindName + "\" in " + group
                    + (suggestion == null ? "" : "; did you mean \"" + suggestion + "\"?"));
        }
    }

    private void loadItems(Node items, BindContext listCtx, List<Resource<?>> out) {
        if (Nodes.isNull(items)) {
            return;
        }
        if (!(items instanceof SequenceNode seq)) {
            listCtx.error(items, "items", "expected a list, got " + Nodes.describe(items));
            return;
        }
        for (Node item : seq.getValue()) {
            if (item instanceof MappingNode m) {
                loadObject(m, listCtx.file, out, listCtx.diagnostics, false);
            } else if (!Nodes.isNull(item)) {
                listCtx.error(item, null, "expected a resource in items, got " + Nodes.describe(item));
            }
        }
    }

    /** A top-level string field, or null (with an error when it is there but not a string). */
    private static String text(Map.Entry<ScalarNode, Node> field, String path, BindContext ctx) {
        if (field == null || Nodes.isNull(field.getValue())) {
            return null;
        }
        Object v = TypeBinding.Scalar.STRING.bind(field.getValue(), path, ctx);
        return v instanceof String s ? s.trim() : null;
    }

    private static String rawScalar(MappingNode map, String key) {
        for (var t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)
                    && t.getValueNode() instanceof ScalarNode v && !Nodes.isNull(v)) {
                return v.getValue();
            }
        }
        return null;
    }

    private static LoadResult fileError(String file, String message) {
        return new LoadResult(List.of(), List.of(Diagnostic.error(file, 0, null, null, message)));
    }

    /** UTF-8 (BOM optional) or UTF-16 with a BOM, decoded strictly: binary garbage is refused, not mangled. */
    static String decode(byte[] bytes) throws NotTextException {
        Charset cs = StandardCharsets.UTF_8;
        int offset = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            offset = 3;
        } else if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xFE && (bytes[1] & 0xff) == 0xFF) {
            cs = StandardCharsets.UTF_16BE;
            offset = 2;
        } else if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xFE) {
            cs = StandardCharsets.UTF_16LE;
            offset = 2;
        }
        CharsetDecoder decoder = cs.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            throw new NotTextException(cs, in.position());
        }
        return out.flip().toString();
    }

    /** The bytes are not text in the encoding we detected. */
    static final class NotTextException extends Exception {
        NotTextException(Charset cs, int offset) {
            super("not a text file: invalid " + cs.name() + " at byte " + offset, null, false, false);
        }
    }

    private static int lineAt(String text, int position) {
        int line = 1;
        for (int i = 0; i < Math.min(position, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown problem";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

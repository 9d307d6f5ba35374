package dev.meshgate.config.yaml;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Small facts about SnakeYAML nodes the binder and loader share. */
final class Nodes {

    /** Tags we accept; anything else (!!javax..., !custom, !!set) is refused, never constructed. */
    private static final Set<Tag> ALLOWED_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP,
            Tag.SEQ, Tag.TIMESTAMP, Tag.BINARY, Tag.MERGE);

    static final Pattern INT = Pattern.compile("[-+]?[0-9]+");
    static final Pattern NUMBER = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");

    private Nodes() {
    }

    /** A plain scalar the YAML 1.1 resolver tagged bool: true/yes/on/y in any case is true. */
    static boolean yamlTrue(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "y" -> true;
            default -> false;
        };
    }

    static boolean isNull(Node node) {
        return node == null || (node instanceof ScalarNode && Tag.NULL.equals(node.getTag()));
    }

    static boolean isPlain(ScalarNode node) {
        return node.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN;
    }

    /** Checks the tag and counts the node; false (with an error) for a tag we refuse. */
    static boolean admit(Node node, String path, BindContext ctx) {
        ctx.visit(node, path);
        if (!ALLOWED_TAGS.contains(node.getTag())) {
            ctx.error(node, path, "unsupported YAML tag " + node.getTag() + " (only plain YAML/JSON data is accepted)");
            return false;
        }
        return true;
    }

    /** "a mapping", "a list", "a string \"abc\"", "a number 1.5", "a boolean true", "null". */
    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (node == null) {
            return "null";
        }
        ScalarNode s = (ScalarNode) node;
        String v = s.getValue();
        String shown = v.length() > 40 ? v.substring(0, 40) + "..." : v;
        if (isNull(s)) {
            return "null";
        }
        if (isPlain(s)) {
            Tag t = s.getTag();
            if (Tag.INT.equals(t) || Tag.FLOAT.equals(t)) {
                return "a number " + shown;
            }
            if (Tag.BOOL.equals(t)) {
                return "a boolean " + shown;
            }
        }
        return "a string \"" + shown + "\"";
    }

    /**
     * The entries of a mapping (a map when {@code mapKeys}, else a message), keys as text. Refuses non-scalar keys and duplicate keys (SnakeYAML's composer
     * does not check duplicates; only its constructor does, and we never construct). Merge keys ({@code <<}) are
     * already resolved by the composer ({@code mergeOnCompose}). Bad keys are reported and left out.
     */
    static List<Map.Entry<ScalarNode, Node>> entries(MappingNode map, String path, boolean mapKeys,
                                                     BindContext ctx) {
        List<NodeTuple> tuples = map.getValue();
        List<Map.Entry<ScalarNode, Node>> out = new ArrayList<>(tuples.size());
        Map<String, Node> seen = new HashMap<>(Math.max(4, tuples.size() * 2));
        for (NodeTuple t : tuples) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode key)) {
                ctx.error(k, path, "mapping keys must be strings, got " + describe(k));
                continue;
            }
            if (!admit(k, path, ctx)) {
                continue;
            }
            if (seen.putIfAbsent(key.getValue(), k) != null) {
                String p = mapKeys ? FieldPath.key(path, key.getValue()) : FieldPath.field(path, key.getValue());
                ctx.error(k, p,
                        "duplicate key \"" + key.getValue() + "\" (first at line "
                                + BindContext.lineOf(seen.get(key.getValue())) + ")");
                continue;
            }
            out.add(Map.entry(key, t.getValueNode()));
        }
        return out;
    }

    /** A document whose aliases point back into themselves. */
    static final class RecursiveAliasException extends Exception {
        final transient Node at;

        RecursiveAliasException(Node at) {
            super(null, null, false, false);
            this.at = at;
        }
    }

    /**
     * The number of nodes the document has once every alias is expanded, saturating just above {@code limit}.
     * Linear in the distinct nodes (sizes of shared subtrees are memoised), so a billion-laughs document is
     * measured, and refused, without ever being expanded.
     */
    static long expandedSize(Node root, long limit) throws RecursiveAliasException {
        return size(root, limit, new IdentityHashMap<>(), Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static long size(Node node, long limit, Map<Node, Long> memo, Set<Node> onPath)
            throws RecursiveAliasException {
        if (node == null) {
            return 0;
        }
        Long known = memo.get(node);
        if (known != null) {
            return known;
        }
        if (!onPath.add(node)) {
            throw new RecursiveAliasException(node);
        }
        long total = 1;
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                total = Math.min(limit + 1, total + size(t.getKeyNode(), limit, memo, onPath)
                        + size(t.getValueNode(), limit, memo, onPath));
            }
        } else if (node instanceof SequenceNode s) {
            for (Node item : s.getValue()) {
                total = Math.min(limit + 1, total + size(item, limit, memo, onPath));
            }
        }
        onPath.remove(node);
        memo.put(node, total);
        return total;
    }
}

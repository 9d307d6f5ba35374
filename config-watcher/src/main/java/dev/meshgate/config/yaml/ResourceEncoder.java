package dev.meshgate.config.yaml;

import dev.meshgate.config.model.Resource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns resources and model records back into plain ordered maps, YAML and JSON, the inverse of the binder:
 * fields in record order under their Istio names, nulls, empty collections and zero primitives left out,
 * durations in protobuf form ({@code "1.5s"}), enums by their Istio name. Loading the output gives equal records.
 */
public final class ResourceEncoder {

    private ResourceEncoder() {
    }

    /** apiVersion, kind, metadata, spec; the source reference is not part of the content. */
    public static Map<String, Object> toMap(Resource<?> resource) {
        Map<String, Object> out = new LinkedHashMap<>();
        String apiVersion = resource.apiVersion() != null ? resource.apiVersion()
                : resource.kind().group() + "/" + resource.kind().versions().get(0);
        out.put("apiVersion", apiVersion);
        out.put("kind", resource.kind().kind());
        out.put("metadata", encode(resource.metadata()));
        Object spec = encode(resource.spec());
        out.put("spec", spec == null ? Map.of() : spec);
        return out;
    }

    /**
     * The plain form of any model value: records become ordered maps, enums and durations strings, collections
     * lists/maps with string keys; null for a value that is left out (null or empty).
     */
    public static Object encode(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Resource<?> r) {
            return toMap(r);
        }
        if (value instanceof Record record) {
            RecordPlan plan = RecordPlan.of(record.getClass());
            Map<String, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < plan.names.length; i++) {
                Object v = plan.get(record, i);
                if (plan.rawTypes[i].isPrimitive() && isZero(v)) {
                    continue; // proto3: a zero scalar is the same as absent
                }
                Object e = encode(v);
                if (e != null) {
                    out.put(plan.names[i], e);
                }
            }
            return out;
        }
        if (value instanceof Enum<?> e) {
            return EnumPlan.of(e.getDeclaringClass()).nameOf(e);
        }
        if (value instanceof Duration d) {
            return Durations.format(d);
        }
        if (value instanceof Instant t) {
            return t.toString();
        }
        if (value instanceof Collection<?> c) {
            if (c.isEmpty()) {
                return null;
            }
            List<Object> out = new ArrayList<>(c.size());
            for (Object o : c) {
                Object e = encode(o);
                if (e != null) {
                    out.add(e);
                }
            }
            return out;
        }
        if (value instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                return null;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> en : m.entrySet()) {
                Object e = encode(en.getValue());
                // inside a map an empty message/list is still an entry
                out.put(String.valueOf(en.getKey()), e == null ? emptyLike(en.getValue()) : e);
            }
            return out;
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        throw new IllegalArgumentException("cannot encode " + value.getClass().getName());
    }

    /** One resource as a YAML document. */
    public static String toYaml(Resource<?> resource) {
        return yaml().dump(toMap(resource));
    }

    /** Resources as a multi-document YAML stream, each document started by {@code ---}. */
    public static String toYaml(List<? extends Resource<?>> resources) {
        List<Object> docs = new ArrayList<>(resources.size());
        for (Resource<?> r : resources) {
            docs.add(toMap(r));
        }
        return yaml().dumpAll(docs.iterator());
    }

    /** Any model record (or map/list of model values) as one YAML document. */
    public static String toYaml(Object value) {
        if (value instanceof Resource<?> r) {
            return toYaml(r);
        }
        return yaml().dump(plain(value));
    }

    /** A resource, record, map or list as indented JSON, fields in model order. */
    public static String toJson(Object value) {
        StringBuilder sb = new StringBuilder();
        Json.write(plain(value), sb, false, 0, true);
        return sb.append('\n').toString();
    }

    /**
     * Compact JSON with every object's keys sorted: equal content gives equal text whatever the order of the
     * source, for content hashes ({@link dev.meshgate.config.snapshot.ConfigSnapshot#hash()}).
     */
    public static String canonicalJson(Object value) {
        StringBuilder sb = new StringBuilder();
        Json.write(plain(value), sb, true, -1, false);
        return sb.toString();
    }

    private static Object plain(Object value) {
        if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Resource<?>) {
            List<Object> out = new ArrayList<>();
            for (Object o : list) {
                out.add(encode(o));
            }
            return out;
        }
        Object e = encode(value);
        return e == null ? emptyLike(value) : e;
    }

    private static Object emptyLike(Object v) {
        if (v instanceof Collection<?>) {
            return List.of();
        }
        if (v instanceof Map<?, ?> || v instanceof Record) {
            return Map.of();
        }
        return null;
    }

    private static boolean isZero(Object v) {
        return v instanceof Boolean b ? !b
                : v instanceof Number n && n.doubleValue() == 0.0 && !(n instanceof Double d && d.isNaN());
    }

    private static Yaml yaml() {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setWidth(Integer.MAX_VALUE);
        o.setSplitLines(false);
        o.setExplicitStart(true);
        return new Yaml(o);
    }

    /** A small JSON writer: no dependency, exact control of key order and number text. */
    private static final class Json {

        static void write(Object v, StringBuilder sb, boolean sorted, int indent, boolean pretty) {
            if (v == null) {
                sb.append("null");
            } else if (v instanceof Map<?, ?> m) {
                Map<?, ?> map = sorted ? new TreeMap<>(m) : m;
                if (map.isEmpty()) {
                    sb.append("{}");
                    return;
                }
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    newline(sb, pretty, indent + 1);
                    string(String.valueOf(e.getKey()), sb);
                    sb.append(pretty ? ": " : ":");
                    write(e.getValue(), sb, sorted, indent + 1, pretty);
                }
                newline(sb, pretty, indent);
                sb.append('}');
            } else if (v instanceof List<?> l) {
                if (l.isEmpty()) {
                    sb.append("[]");
                    return;
                }
                sb.append('[');
                boolean first = true;
                for (Object o : l) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    newline(sb, pretty, indent + 1);
                    write(o, sb, sorted, indent + 1, pretty);
                }
                newline(sb, pretty, indent);
                sb.append(']');
            } else if (v instanceof String s) {
                string(s, sb);
            } else if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
                string(d.toString(), sb); // protobuf JSON spells these "NaN", "Infinity"
            } else if (v instanceof Float f && (f.isNaN() || f.isInfinite())) {
                string(f.toString(), sb);
            } else {
                sb.append(v);
            }
        }

        private static void newline(StringBuilder sb, boolean pretty, int indent) {
            if (pretty) {
                sb.append('\n');
                sb.append("  ".repeat(Math.max(0, indent)));
            }
        }

        private static void string(String s, StringBuilder sb) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    case '\b' -> sb.append("\\b");
                    case '\f' -> sb.append("\\f");
                    default -> {
                        if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }
    }
}

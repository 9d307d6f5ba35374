package dev.meshgate.config.snapshot;

import dev.meshgate.config.model.Resource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A deterministic JSON-like text of a resource, for hashing only. Record toString() is not usable: the
 * iteration order of Map.copyOf depends on a per-JVM random salt, so equal maps may print differently.
 * Here map keys are sorted and records print their components in declaration order.
 * <p>
 * Temporary fallback until the codec's canonical ResourceEncoder exists; the source location is left out
 * on purpose (moving a resource to another file or line is not a content change).
 */
final class CanonicalText {

    private CanonicalText() {
    }

    static String of(Resource<?> r) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"apiVersion\":");
        value(sb, r.apiVersion());
        sb.append(",\"kind\":");
        value(sb, r.kind().kind());
        sb.append(",\"metadata\":");
        value(sb, r.metadata());
        sb.append(",\"spec\":");
        value(sb, r.spec());
        return sb.append('}').toString();
    }

    private static void value(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof CharSequence s) {
            string(sb, s.toString());
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Enum<?> e) {
            string(sb, e.name());
        } else if (v instanceof Record rec) {
            record(sb, rec);
        } else if (v instanceof Map<?, ?> m) {
            map(sb, m);
        } else if (v instanceof Collection<?> c) {
            sb.append('[');
            boolean first = true;
            for (Object o : c) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                value(sb, o);
            }
            sb.append(']');
        } else if (v instanceof Optional<?> o) {
            value(sb, o.orElse(null));
        } else {
            // Duration, Instant and other value types: their toString is canonical
            string(sb, v.toString());
        }
    }

    private static void record(StringBuilder sb, Record rec) {
        sb.append('{');
        boolean first = true;
        for (RecordComponent c : rec.getClass().getRecordComponents()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            string(sb, c.getName());
            sb.append(':');
            try {
                var accessor = c.getAccessor();
                accessor.setAccessible(true);
                value(sb, accessor.invoke(rec));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + rec.getClass().getName() + "." + c.getName(), e);
            }
        }
        sb.append('}');
    }

    private static void map(StringBuilder sb, Map<?, ?> m) {
        List<Map.Entry<String, Object>> entries = new ArrayList<>(m.size());
        for (Map.Entry<?, ?> e : m.entrySet()) {
            entries.add(Map.entry(String.valueOf(e.getKey()), e.getValue() == null ? NULL : e.getValue()));
        }
        entries.sort(Map.Entry.comparingByKey());
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : entries) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            string(sb, e.getKey());
            sb.append(':');
            value(sb, e.getValue() == NULL ? null : e.getValue());
        }
        sb.append('}');
    }

    private static final Object NULL = new Object();

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        sb.append('"');
    }
}

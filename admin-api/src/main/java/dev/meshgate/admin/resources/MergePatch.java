package dev.meshgate.admin.resources;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON Merge Patch (RFC 7386) over plain Map/List trees; the target is copied, never changed. */
public final class MergePatch {

    private MergePatch() {
    }

    public static Object apply(Object target, Object patch) {
        if (!(patch instanceof Map<?, ?> p)) {
            return copy(patch);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        if (target instanceof Map<?, ?> t) {
            t.forEach((k, v) -> result.put(String.valueOf(k), copy(v)));
        }
        p.forEach((k, v) -> {
            String key = String.valueOf(k);
            if (v == null) {
                result.remove(key);
            } else {
                result.put(key, apply(result.get(key), v));
            }
        });
        return result;
    }

    private static Object copy(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), copy(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(copy(x)));
            return out;
        }
        return v;
    }
}

package dev.meshgate.admin.resources;

import dev.meshgate.config.model.Kind;

import java.util.HashMap;
import java.util.Map;

/** Resolves {@code /apis/{group}/{version}/{plural}} to a Kind with one map lookup. */
public final class KindIndex {

    private final Map<String, Kind> byPath = new HashMap<>();

    public KindIndex() {
        for (Kind k : Kind.values()) {
            for (String v : k.versions()) {
                byPath.put(k.group() + "/" + v + "/" + k.plural(), k);
            }
        }
    }

    /** The kind, or null when this server does not serve that group, version and plural. */
    public Kind find(String group, String version, String plural) {
        return byPath.get(group + "/" + version + "/" + plural);
    }
}

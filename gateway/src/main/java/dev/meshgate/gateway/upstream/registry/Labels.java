package dev.meshgate.gateway.upstream.registry;

import java.util.Map;

/** Kubernetes-style equality selectors. */
public final class Labels {

    private Labels() {
    }

    /** True when every selector label is present with the same value; an empty selector selects everything. */
    public static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}

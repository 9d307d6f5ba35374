package dev.meshgate.gateway.route;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Envoy's domain selection over a listener's virtual hosts: exact name first, then the longest {@code *.suffix}
 * wildcard, then {@code *}. No fall-through: once a virtual host is selected, only its routes are tried. The
 * lookup costs one hash probe for the exact name and one per dot in the host.
 */
public final class VirtualHostTable {

    public static final VirtualHostTable EMPTY = new VirtualHostTable(List.of());

    private final Map<String, VirtualHost> exact = new HashMap<>();
    /** Keyed by the suffix with its leading dot: {@code *.foo.com} is stored under {@code .foo.com}. */
    private final Map<String, VirtualHost> suffix = new HashMap<>();
    private final VirtualHost star;
    private final List<VirtualHost> all;

    public VirtualHostTable(List<VirtualHost> hosts) {
        VirtualHost s = null;
        for (VirtualHost vh : hosts) {
            String d = vh.domain();
            if (d.equals("*")) {
                s = vh;
            } else if (d.startsWith("*")) {
                suffix.put(d.substring(1), vh);
            } else {
                exact.put(d, vh);
            }
        }
        this.star = s;
        this.all = List.copyOf(hosts);
    }

    /** @param host lower-cased, without port */
    public VirtualHost select(String host) {
        VirtualHost vh = exact.get(host);
        if (vh != null) {
            return vh;
        }
        if (!suffix.isEmpty()) {
            // the first dot (after at least one character) gives the longest suffix
            for (int i = host.indexOf('.', 1); i > 0; i = host.indexOf('.', i + 1)) {
                vh = suffix.get(host.substring(i));
                if (vh != null) {
                    return vh;
                }
            }
        }
        return star;
    }

    public Collection<VirtualHost> all() {
        return all;
    }
}

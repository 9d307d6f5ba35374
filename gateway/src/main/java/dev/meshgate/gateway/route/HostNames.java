package dev.meshgate.gateway.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Host name rules from Istio's pkg/config/host and pilot's name resolution. {@code *.x} is a plain suffix match
 * on {@code .x} (multi-label, never {@code x} itself), {@code *} matches everything; comparison is
 * case-insensitive, so names are lower-cased on the way in.
 */
public final class HostNames {

    public static final String CLUSTER_DOMAIN = "cluster.local";

    private HostNames() {
    }

    public static boolean isWildcard(String h) {
        return h.startsWith("*");
    }

    /** Istio's {@code Name.SubsetOf}: every host {@code n} matches is also matched by {@code o}. */
    public static boolean subsetOf(String n, String o) {
        if (isWildcard(n)) {
            return isWildcard(o) && n.substring(1).endsWith(o.substring(1));
        }
        if (isWildcard(o)) {
            return n.endsWith(o.substring(1));
        }
        return n.equals(o);
    }

    /**
     * Istio's {@code Names.Intersection}: for each pair keeps the more specific name, without duplicates, in the
     * order of {@code a}.
     */
    public static List<String> intersection(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>();
        for (String x : a) {
            for (String y : b) {
                String keep = subsetOf(x, y) ? x : subsetOf(y, x) ? y : null;
                if (keep != null && !out.contains(keep)) {
                    out.add(keep);
                }
            }
        }
        return out;
    }

    /**
     * Istio's {@code ResolveShortnameToFQDN}: a name without a dot (not {@code *}, not an IP) is a Kubernetes short
     * name in {@code namespace}: {@code reviews} in {@code default} becomes {@code reviews.default.svc.cluster.local}.
     */
    public static String resolveShortName(String host, String namespace) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("*") || h.contains(".") || h.contains(":")) {
            return h;
        }
        return h + "." + namespace + ".svc." + CLUSTER_DOMAIN;
    }

    /**
     * Istio's {@code resolveGatewayName}: {@code name} is in the VirtualService's namespace, {@code ./name} too,
     * {@code ns/name} as written, legacy {@code name.ns.svc.cluster.local} becomes {@code ns/name};
     * {@code mesh} stays {@code mesh}.
     */
    public static String resolveGatewayName(String ref, String vsNamespace) {
        if (ref.equals("mesh")) {
            return ref;
        }
        int slash = ref.indexOf('/');
        if (slash < 0) {
            int dot = ref.indexOf('.');
            if (dot < 0) {
                return vsNamespace + "/" + ref;
            }
            int next = ref.indexOf('.', dot + 1);
            if (next < 0) {
                return vsNamespace + "/" + ref;
            }
            return ref.substring(dot + 1, next) + "/" + ref.substring(0, dot);
        }
        if (ref.substring(0, slash).equals(".")) {
            return vsNamespace + "/" + ref.substring(slash + 1);
        }
        return ref;
    }

    /**
     * The host part of :authority / Host, lower-cased, port removed (Istio sets ignore_port_in_host_matching);
     * IPv6 literals keep their brackets.
     */
    public static String hostForMatching(String authority) {
        if (authority == null) {
            return "";
        }
        String a = authority;
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            if (close > 0) {
                a = a.substring(0, close + 1);
            }
        } else {
            int colon = a.lastIndexOf(':');
            if (colon >= 0 && a.indexOf(':') == colon) {
                a = a.substring(0, colon);
            }
        }
        return a.toLowerCase(Locale.ROOT);
    }
}

package dev.meshgate.gateway.upstream.registry;

import java.util.Locale;

/** Istio host-name rules used by the registry (pkg/config/host). */
public final class HostNames {

    private HostNames() {
    }

    /** A short name (no dot, not a wildcard) is qualified with the namespace: {@code reviews.default.svc.cluster.local}. */
    public static String qualify(String host, String namespace) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("*") || h.contains(".")) {
            return h;
        }
        return h + "." + namespace + ".svc.cluster.local";
    }

    /** {@code *.foo.com} matches by suffix {@code .foo.com} (never {@code foo.com}); {@code *} matches all. */
    public static boolean wildcardMatches(String wildcard, String host) {
        if (wildcard.equals("*")) {
            return true;
        }
        return wildcard.startsWith("*") && host.endsWith(wildcard.substring(1));
    }
}

package dev.meshgate.gateway.upstream.forward;

import io.vertx.core.MultiMap;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Connection-specific headers that a proxy must not forward (RFC 9110 §7.6.1, Envoy's list). */
final class HopByHop {

    private static final Set<String> RESPONSE = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "upgrade", "te", "http2-settings");

    private HopByHop() {
    }

    /** Copies {@code from} into {@code to} without hop-by-hop headers and without those named by Connection. */
    static void copyResponseHeaders(MultiMap from, MultiMap to) {
        List<String> connection = from.getAll("connection");
        for (var e : from) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (RESPONSE.contains(name) || listed(connection, name)) {
                continue;
            }
            to.add(e.getKey(), e.getValue());
        }
    }

    private static boolean listed(List<String> connection, String name) {
        for (String v : connection) {
            for (String token : v.split(",")) {
                if (token.trim().equalsIgnoreCase(name)) {
                    return true;
                }
            }
        }
        return false;
    }
}

package dev.meshgate.gateway.listener;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Builds the headers sent upstream from the downstream request, as an Istio gateway (Envoy with
 * use_remote_address) does: hop-by-hop headers and pseudo headers dropped, Host carried separately in the
 * exchange's authority, x-forwarded-for appended with the peer address, x-forwarded-proto set from the
 * connection, x-envoy-external-address set, x-request-id generated when absent. Everything else (trace headers
 * included) passes through untouched.
 */
final class UpstreamHeaders {

    /** RFC 7230 §6.1 plus the proxy-* headers; {@code te} is handled separately (only "trailers" survives). */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization", "trailer", "te", "host",
            "http2-settings");

    private UpstreamHeaders() {
    }

    static MultiMap build(MultiMap in, String peerIp, String scheme) {
        boolean websocket = isWebSocketUpgrade(in);
        Set<String> connectionListed = connectionTokens(in);
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        for (Map.Entry<String, String> e : in) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || name.charAt(0) == ':') {
                continue;
            }
            if (websocket && (name.equals("upgrade") || name.equals("connection"))) {
                // the forwarder needs them to tunnel the upgrade
                out.add(name, e.getValue());
                continue;
            }
            if (HOP_BY_HOP.contains(name) || connectionListed.contains(name)) {
                continue;
            }
            out.add(name, e.getValue());
        }
        String te = in.get("te");
        if (te != null && containsToken(te, "trailers")) {
            out.set("te", "trailers");
        }
        String xff = out.get("x-forwarded-for");
        out.set("x-forwarded-for", xff == null || xff.isBlank() ? peerIp : xff + "," + peerIp);
        out.set("x-forwarded-proto", scheme);
        out.set("x-envoy-external-address", peerIp);
        if (!out.contains("x-request-id")) {
            out.set("x-request-id", randomUuid());
        }
        return out;
    }

    /** A version-4 UUID from the thread's fast random source: SecureRandom is needless cost on an event loop. */
    static String randomUuid() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & ~(0xC000000000000000L)) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    static boolean isWebSocketUpgrade(MultiMap in) {
        String up = in.get(HttpHeaders.UPGRADE);
        String conn = in.get(HttpHeaders.CONNECTION);
        return up != null && up.equalsIgnoreCase("websocket") && conn != null && containsToken(conn, "upgrade");
    }

    private static Set<String> connectionTokens(MultiMap in) {
        Set<String> out = new HashSet<>();
        for (String v : in.getAll(HttpHeaders.CONNECTION)) {
            for (String t : v.split(",")) {
                String tok = t.trim().toLowerCase(Locale.ROOT);
                if (!tok.isEmpty()) {
                    out.add(tok);
                }
            }
        }
        return out;
    }

    private static boolean containsToken(String value, String token) {
        for (String t : value.split(",")) {
            if (t.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }
}

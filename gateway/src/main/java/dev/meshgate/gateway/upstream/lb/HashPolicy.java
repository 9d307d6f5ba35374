package dev.meshgate.gateway.upstream.lb;

import dev.meshgate.gateway.exchange.Exchange;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The hash key of a consistentHash load balancer (Istio ConsistentHashLB's hash key oneof). */
public sealed interface HashPolicy {

    /**
     * Computes the request's hash, or null when the key is absent (the LB then picks a random point).
     *
     * @param setCookie receives a Set-Cookie value when the policy generates the affinity cookie
     */
    Long hash(Exchange exchange, Consumer<String> setCookie);

    /** {@code httpHeaderName}: hash of the header's value(s). */
    record Header(String name) implements HashPolicy {
        @Override
        public Long hash(Exchange exchange, Consumer<String> setCookie) {
            List<String> values = exchange.request().headers().getAll(name);
            if (values.isEmpty()) {
                return null;
            }
            return XxHash64.hash(values.size() == 1 ? values.get(0) : String.join(",", values));
        }
    }

    /**
     * {@code httpCookie}: hash of the cookie's value. When the cookie is absent and a ttl is set, Envoy generates
     * one (value = hex xxHash64 of the downstream connection's addresses, so every request of a connection gets
     * the same one), hashes it, and sends it back as {@code name="value"; Max-Age=ttl; Path=path; attrs; HttpOnly}.
     * ttl 0 gives a session cookie; no ttl, no cookie.
     */
    record Cookie(String name, String path, Duration ttl, Map<String, String> attributes) implements HashPolicy {

        public Cookie {
            attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
        }

        @Override
        public Long hash(Exchange exchange, Consumer<String> setCookie) {
            HttpServerRequest req = exchange.request();
            io.vertx.core.http.Cookie c = req.getCookie(name);
            if (c != null) {
                return XxHash64.hash(c.getValue());
            }
            if (ttl == null) {
                return null;
            }
            SocketAddress remote = req.remoteAddress();
            SocketAddress local = req.localAddress();
            String value = Long.toHexString(XxHash64.hash(String.valueOf(remote) + local));
            value = "0".repeat(16 - value.length()) + value;
            setCookie.accept(setCookieValue(value));
            return XxHash64.hash(value);
        }

        String setCookieValue(String value) {
            StringBuilder sb = new StringBuilder(name).append("=\"").append(value).append('"');
            if (ttl.getSeconds() > 0) {
                sb.append("; Max-Age=").append(ttl.getSeconds());
            }
            if (path != null && !path.isEmpty()) {
                sb.append("; Path=").append(path);
            }
            for (Map.Entry<String, String> a : attributes.entrySet()) {
                sb.append("; ").append(a.getKey());
                if (a.getValue() != null && !a.getValue().isEmpty()) {
                    sb.append('=').append(a.getValue());
                }
            }
            return sb.append("; HttpOnly").toString();
        }
    }

    /** {@code useSourceIp}: hash of the downstream peer address. */
    record SourceIp() implements HashPolicy {
        @Override
        public Long hash(Exchange exchange, Consumer<String> setCookie) {
            SocketAddress remote = exchange.request().remoteAddress();
            return remote == null || remote.hostAddress() == null ? null : XxHash64.hash(remote.hostAddress());
        }
    }

    /** {@code httpQueryParameterName}: hash of the query parameter's value (first occurrence). */
    record QueryParameter(String name) implements HashPolicy {
        @Override
        public Long hash(Exchange exchange, Consumer<String> setCookie) {
            String path = exchange.path();
            int q = path == null ? -1 : path.indexOf('?');
            if (q < 0) {
                return null;
            }
            int i = q + 1;
            while (i <= path.length()) {
                int amp = path.indexOf('&', i);
                int end = amp < 0 ? path.length() : amp;
                int eq = path.indexOf('=', i);
                int keyEnd = eq >= 0 && eq < end ? eq : end;
                if (path.regionMatches(i, name, 0, name.length()) && keyEnd - i == name.length()) {
                    return XxHash64.hash(keyEnd < end ? path.substring(keyEnd + 1, end) : "");
                }
                i = end + 1;
            }
            return null;
        }
    }
}

package dev.meshgate.gateway.route;

import io.vertx.core.MultiMap;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What route matching looks at, gathered once per request: the normalized path without the query, the raw
 * query, method, scheme, the :authority as received, and the downstream headers. Query parameters are parsed
 * only when a route asks for them.
 */
public final class RequestFacts {

    private final String path;
    private final String query;
    private final String method;
    private final String scheme;
    private final String authority;
    private final MultiMap headers;
    private Map<String, String> queryParams;

    public RequestFacts(String path, String query, String method, String scheme, String authority, MultiMap headers) {
        this.path = path;
        this.query = query;
        this.method = method;
        this.scheme = scheme;
        this.authority = authority;
        this.headers = headers;
    }

    public String path() {
        return path;
    }

    /** The raw query string without '?', or null when the request had none. */
    public String query() {
        return query;
    }

    public String method() {
        return method;
    }

    public String scheme() {
        return scheme;
    }

    public String authority() {
        return authority;
    }

    /**
     * A header's value as Envoy's header matcher sees it: several values joined with ','; null when absent.
     */
    public String header(String lowerName) {
        List<String> all = headers.getAll(lowerName);
        if (all.isEmpty()) {
            return null;
        }
        return all.size() == 1 ? all.get(0) : String.join(",", all);
    }

    /** First value of a query parameter, percent-decoded; "" for {@code ?key}; null when absent. */
    public String queryParam(String name) {
        if (queryParams == null) {
            queryParams = parseQuery(query);
        }
        return queryParams.get(name);
    }

    static Map<String, String> parseQuery(String q) {
        if (q == null || q.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        int start = 0;
        while (start <= q.length()) {
            int amp = q.indexOf('&', start);
            int end = amp < 0 ? q.length() : amp;
            if (end > start) {
                int eq = q.indexOf('=', start);
                String k;
                String v;
                if (eq < 0 || eq > end) {
                    k = q.substring(start, end);
                    v = "";
                } else {
                    k = q.substring(start, eq);
                    v = q.substring(eq + 1, end);
                }
                out.putIfAbsent(PercentCodec.decodeLenient(k), PercentCodec.decodeLenient(v));
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        return out;
    }
}

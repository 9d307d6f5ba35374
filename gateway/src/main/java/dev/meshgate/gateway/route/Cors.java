package dev.meshgate.gateway.route;

import java.util.List;

/**
 * CorsPolicy compiled, with Envoy's CORS filter semantics: a request with a matching Origin gets
 * Access-Control-Allow-Origin (echoing the origin) and, for actual requests, -Allow-Credentials and
 * -Expose-Headers; a preflight (OPTIONS with Origin and Access-Control-Request-Method) with a matching origin is
 * answered here with 200. Non-matching origins are never blocked, only left undecorated.
 *
 * @param allowMethods     joined with ',' or null
 * @param allowHeaders     joined with ',' or null
 * @param exposeHeaders    joined with ',' or null
 * @param maxAge           seconds as a string, or null
 * @param allowCredentials null when unset
 * @param forwardUnmatchedPreflights unmatchedPreflights FORWARD (the default) vs IGNORE (answered 200, undecorated)
 */
public record Cors(List<StringMatcher> allowOrigins, String allowMethods, String allowHeaders, String exposeHeaders,
                   String maxAge, Boolean allowCredentials, boolean forwardUnmatchedPreflights) {

    public Cors {
        allowOrigins = List.copyOf(allowOrigins);
    }

    public boolean originAllowed(String origin) {
        for (StringMatcher m : allowOrigins) {
            if (m.matches(origin)) {
                return true;
            }
        }
        return false;
    }
}

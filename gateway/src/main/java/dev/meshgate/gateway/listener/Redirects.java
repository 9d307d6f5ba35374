package dev.meshgate.gateway.listener;

import dev.meshgate.gateway.route.RequestFacts;
import dev.meshgate.gateway.route.RouteAction;

/**
 * Builds the Location of an HTTPRedirect the way Envoy's redirect action does for Istio: scheme and authority
 * replaced when set, path replaced by {@code uri} (the query string is kept), :80 for http and :443 for https
 * omitted.
 */
final class Redirects {

    private Redirects() {
    }

    /** @param pathWithQuery the request's normalized path with its query */
    static String location(RouteAction.Redirect r, RequestFacts facts, String pathWithQuery) {
        String origScheme = facts.scheme();
        String scheme = r.scheme() != null ? r.scheme() : origScheme;
        String authority = r.authority() != null ? r.authority() : facts.authority();
        String host = stripPort(authority);
        String port = portOf(authority);
        switch (r.portMode()) {
            case EXPLICIT -> port = Integer.toString(r.port());
            case PROTOCOL_DEFAULT -> port = null;
            case KEEP -> {
                if (port != null && !scheme.equalsIgnoreCase(origScheme) && (port.equals("80") || port.equals("443"))) {
                    port = null;
                }
            }
        }
        if (port != null && ((scheme.equalsIgnoreCase("http") && port.equals("80"))
                || (scheme.equalsIgnoreCase("https") && port.equals("443")))) {
            port = null;
        }
        String path;
        if (r.uri() != null) {
            path = r.uri();
            if (facts.query() != null && !path.contains("?")) {
                path = path + "?" + facts.query();
            }
        } else {
            path = pathWithQuery;
        }
        return scheme + "://" + host + (port == null ? "" : ":" + port) + path;
    }

    static String stripPort(String authority) {
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            return close > 0 ? authority.substring(0, close + 1) : authority;
        }
        int colon = authority.lastIndexOf(':');
        return colon >= 0 && authority.indexOf(':') == colon ? authority.substring(0, colon) : authority;
    }

    static String portOf(String authority) {
        int from = authority.startsWith("[") ? authority.indexOf(']') : 0;
        int colon = authority.indexOf(':', Math.max(from, 0));
        if (colon < 0 || (!authority.startsWith("[") && authority.lastIndexOf(':') != colon)) {
            return null;
        }
        return authority.substring(colon + 1);
    }
}

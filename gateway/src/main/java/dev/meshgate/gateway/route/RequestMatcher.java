package dev.meshgate.gateway.route;

import java.util.List;

/**
 * One HTTPMatchRequest compiled into a tree of conditions, ANDed. Conditions Istio resolves while building
 * config (port, match-level gateways, sourceLabels, sourceNamespace) never reach this tree: the compiler drops
 * the matches they rule out.
 */
public sealed interface RequestMatcher {

    boolean matches(RequestFacts r);

    /** Every condition must hold; an empty list is the catch-all. */
    record All(List<RequestMatcher> conditions) implements RequestMatcher {
        public All {
            conditions = List.copyOf(conditions);
        }

        @Override
        public boolean matches(RequestFacts r) {
            for (RequestMatcher m : conditions) {
                if (!m.matches(r)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The normalized path without the query string. */
    record Uri(StringMatcher match) implements RequestMatcher {
        @Override
        public boolean matches(RequestFacts r) {
            return match.matches(r.path());
        }
    }

    record Scheme(StringMatcher match) implements RequestMatcher {
        @Override
        public boolean matches(RequestFacts r) {
            return match.matches(r.scheme());
        }
    }

    record Method(StringMatcher match) implements RequestMatcher {
        @Override
        public boolean matches(RequestFacts r) {
            return match.matches(r.method());
        }
    }

    /** :authority / Host as received, port included (Envoy matches the header value). */
    record Authority(StringMatcher match) implements RequestMatcher {
        @Override
        public boolean matches(RequestFacts r) {
            return match.matches(r.authority());
        }
    }

    /** A header that must be there and match; a missing header never matches. */
    record Header(String name, StringMatcher match) implements RequestMatcher {
        @Override
        public boolean matches(RequestFacts r) {
            return match.matches(r.header(name));
        }
    }

    /**
     * {@code withoutHeaders}: the request must not have a matching header. A missing header counts as ""
     * (Envoy treat_missing_header_as_empty) except for presence matches.
     */
    record WithoutHeader(String name, StringMatcher match) implements RequestMatcher {
        @Override
        public boolean matches(RequestFacts r) {
            String v = r.header(name);
            if (v == null && !match.isPresence()) {
                v = "";
            }
            return !match.matches(v);
        }
    }

    /** First value of the parameter; {@code ?key} has the value "". */
    record QueryParam(String name, StringMatcher match) implements RequestMatcher {
        @Override
        public boolean matches(RequestFacts r) {
            return match.matches(r.queryParam(name));
        }
    }

    /** A condition that can never hold here (a JWT claim match without a RequestAuthentication). */
    record Never(String why) implements RequestMatcher {
        @Override
        public boolean matches(RequestFacts r) {
            return false;
        }
    }
}

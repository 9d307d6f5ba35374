package dev.meshgate.gateway.route;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * First-match route selection without scanning every route. Routes whose only condition is a case-sensitive
 * path exact or prefix match (the common shape, and the only one in large VirtualServices) are indexed: exact
 * paths in a hash map, prefixes in a character trie walked along the request path. Every other route is tried in
 * order, but only while it comes before the best indexed candidate, so the answer is exactly the ordered scan's
 * (Envoy's first match wins) at a cost of one trie walk plus the unindexed routes in front.
 *
 * <p>Equality follows the route list, so a {@link VirtualHost} compares as before.
 */
public final class RouteIndex {

    private static final int NONE = Integer.MAX_VALUE;

    private final List<CompiledRoute> routes;
    /** exact path to the lowest route index with that exact match */
    private final Map<String, Integer> exact = new HashMap<>();
    private final Node root = new Node();
    /** indices of the routes the index cannot answer for, ascending */
    private final int[] others;

    public RouteIndex(List<CompiledRoute> routes) {
        this.routes = List.copyOf(routes);
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < this.routes.size(); i++) {
            RequestMatcher m = pathOnly(this.routes.get(i).matcher());
            if (m == CATCH_ALL) {
                root.best = Math.min(root.best, i);
            } else if (m instanceof RequestMatcher.Uri u && u.match() instanceof StringMatcher.Exact e) {
                exact.merge(e.value(), i, Math::min);
            } else if (m instanceof RequestMatcher.Uri u && u.match() instanceof StringMatcher.Prefix p) {
                Node n = root;
                for (int c = 0; c < p.value().length(); c++) {
                    n = n.childOrCreate(p.value().charAt(c));
                }
                n.best = Math.min(n.best, i);
            } else {
                rest.add(i);
            }
        }
        this.others = rest.stream().mapToInt(Integer::intValue).toArray();
    }

    private static final RequestMatcher CATCH_ALL = new RequestMatcher.All(List.of());

    /**
     * The route's matcher when it only looks at the path with a case-sensitive exact or prefix match;
     * {@link #CATCH_ALL} when it has no condition at all; null otherwise.
     */
    private static RequestMatcher pathOnly(RequestMatcher m) {
        if (m instanceof RequestMatcher.All all) {
            if (all.conditions().isEmpty()) {
                return CATCH_ALL;
            }
            if (all.conditions().size() != 1) {
                return null;
            }
            m = all.conditions().get(0);
        }
        if (m instanceof RequestMatcher.Uri u) {
            if (u.match() instanceof StringMatcher.Exact e && !e.ignoreCase()) {
                return u;
            }
            if (u.match() instanceof StringMatcher.Prefix p && !p.ignoreCase()) {
                return p.value().isEmpty() ? CATCH_ALL : u;
            }
        }
        return null;
    }

    public CompiledRoute match(RequestFacts r) {
        int best = root.best;
        String path = r.path();
        if (path != null) {
            Integer e = exact.get(path);
            if (e != null && e < best) {
                best = e;
            }
            Node n = root;
            for (int i = 0; i < path.length(); i++) {
                n = n.child(path.charAt(i));
                if (n == null) {
                    break;
                }
                if (n.best < best) {
                    best = n.best;
                }
            }
        }
        for (int idx : others) {
            if (idx >= best) {
                break;
            }
            CompiledRoute route = routes.get(idx);
            if (route.matcher().matches(r)) {
                return route;
            }
        }
        return best == NONE ? null : routes.get(best);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouteIndex other && other.routes.equals(routes);
    }

    @Override
    public int hashCode() {
        return routes.hashCode();
    }

    @Override
    public String toString() {
        return "RouteIndex[" + routes.size() + " routes, " + others.length + " unindexed]";
    }

    /** A trie node; children are few per node, so a small map keyed by char. */
    private static final class Node {
        int best = NONE;
        private Map<Character, Node> children;

        Node child(char c) {
            return children == null ? null : children.get(c);
        }

        Node childOrCreate(char c) {
            if (children == null) {
                children = new HashMap<>(4);
            }
            return children.computeIfAbsent(c, k -> new Node());
        }
    }
}

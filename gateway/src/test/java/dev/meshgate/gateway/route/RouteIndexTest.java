package dev.meshgate.gateway.route;

import dev.meshgate.gateway.exchange.HeaderOps;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class RouteIndexTest {

    private static CompiledRoute route(String name, RequestMatcher m) {
        return new CompiledRoute(name, m, false, null, null, null, HeaderOps.NONE, HeaderOps.NONE, null, null);
    }

    private static RequestMatcher prefix(String p) {
        return new RequestMatcher.Uri(StringMatcher.prefix(p, false));
    }

    private static RequestMatcher exact(String p) {
        return new RequestMatcher.Uri(StringMatcher.exact(p, false));
    }

    private static RequestFacts get(String path, String... headers) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        return new RequestFacts(path, null, "GET", "http", "example.com", h);
    }

    /** The reference: Envoy's ordered first-match scan. */
    private static CompiledRoute scan(List<CompiledRoute> routes, RequestFacts r) {
        for (CompiledRoute c : routes) {
            if (c.matcher().matches(r)) {
                return c;
            }
        }
        return null;
    }

    @Test
    void anEarlierUnindexedRouteStillWinsOverALaterIndexedOne() {
        List<CompiledRoute> routes = List.of(
                route("by-header", new RequestMatcher.All(List.of(prefix("/api/"),
                        new RequestMatcher.Header("end-user", StringMatcher.exact("jason", false))))),
                route("api", prefix("/api/")),
                route("api-v1-exact", exact("/api/v1")),
                route("all", new RequestMatcher.All(List.of())));
        RouteIndex index = new RouteIndex(routes);
        assertEquals("by-header", index.match(get("/api/v1", "end-user", "jason")).name());
        assertEquals("api", index.match(get("/api/v1")).name(), "the earlier prefix beats the later exact");
        assertEquals("all", index.match(get("/other")).name());
    }

    @Test
    void noRouteMatchesGivesNull() {
        RouteIndex index = new RouteIndex(List.of(route("a", prefix("/a/")), route("b", exact("/b"))));
        assertNull(index.match(get("/c")));
        assertNull(index.match(get("/b/")));
        assertEquals("b", index.match(get("/b")).name());
    }

    @Test
    void caseInsensitiveAndRegexRoutesAreTriedInOrder() {
        List<CompiledRoute> routes = List.of(
                route("ci", new RequestMatcher.Uri(StringMatcher.prefix("/Docs", true))),
                route("re", new RequestMatcher.Uri(StringMatcher.regex("/x/[0-9]+"))),
                route("docs", prefix("/docs")));
        RouteIndex index = new RouteIndex(routes);
        assertEquals("ci", index.match(get("/DOCS/a")).name());
        assertEquals("ci", index.match(get("/docs/a")).name());
        assertEquals("re", index.match(get("/x/42")).name());
    }

    @Test
    void agreesWithTheOrderedScanOnRandomTables() {
        Random rnd = new Random(7);
        String[] alphabet = {"/", "a", "b", "/a", "/b", "/ab", "/a/", "/b/c", "/a/b/", ""};
        for (int table = 0; table < 300; table++) {
            List<CompiledRoute> routes = new ArrayList<>();
            int n = 1 + rnd.nextInt(20);
            for (int i = 0; i < n; i++) {
                String p = "/" + alphabet[rnd.nextInt(alphabet.length)] + alphabet[rnd.nextInt(alphabet.length)];
                RequestMatcher m = switch (rnd.nextInt(6)) {
                    case 0 -> exact(p);
                    case 1 -> new RequestMatcher.All(List.of(prefix(p)));
                    case 2 -> new RequestMatcher.All(List.of(prefix(p),
                            new RequestMatcher.Header("x", StringMatcher.exact("1", false))));
                    case 3 -> new RequestMatcher.Uri(StringMatcher.prefix(p.toUpperCase(), true));
                    case 4 -> rnd.nextInt(10) == 0 ? new RequestMatcher.All(List.of()) : prefix(p);
                    default -> prefix(p);
                };
                routes.add(route("r" + i, m));
            }
            RouteIndex index = new RouteIndex(routes);
            for (int q = 0; q < 50; q++) {
                String path = "/" + alphabet[rnd.nextInt(alphabet.length)] + alphabet[rnd.nextInt(alphabet.length)]
                        + alphabet[rnd.nextInt(alphabet.length)];
                RequestFacts r = rnd.nextBoolean() ? get(path, "x", "1") : get(path);
                assertSame(scan(routes, r), index.match(r), () -> "path " + path + " over " + routes);
            }
        }
    }

    @Test
    void virtualHostsWithTheSameRoutesAreEqual() {
        List<CompiledRoute> routes = List.of(route("a", prefix("/a")));
        assertEquals(new VirtualHost("x", routes, false), new VirtualHost("x", routes, false));
    }
}

package dev.meshgate.gateway.listener;

import dev.meshgate.gateway.testing.GatewayHarness;
import dev.meshgate.gateway.testing.GatewayHarness.Resp;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.meshgate.gateway.testing.TestConfig.gateway;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One end-to-end test per HTTPMatchRequest condition over real sockets: a route per condition sends to a cluster
 * named after it; the fallback catch-all (Istio: an absent match matches everything) goes to "fallback".
 */
class MatchE2ETest {

    private static GatewayHarness gw;

    private static final String VS = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: matches, namespace: default}
            spec:
              hosts: ["match.test"]
              gateways: [istio-system/gw]
              http:
              - match: [{uri: {exact: /exact}}]
                route: [{destination: {host: exact}}]
              - match: [{uri: {prefix: /prefix}}]
                route: [{destination: {host: prefix}}]
              - match: [{uri: {regex: "/re/[0-9]+"}}]
                route: [{destination: {host: regex}}]
              - match: [{uri: {exact: /case}, ignoreUriCase: true}]
                route: [{destination: {host: nocase}}]
              - match: [{uri: {prefix: /m}, method: {exact: POST}}]
                route: [{destination: {host: method}}]
              - match: [{uri: {prefix: /s}, scheme: {exact: https}}]
                route: [{destination: {host: scheme}}]
              - match: [{authority: {prefix: "match.test:81"}}]
                route: [{destination: {host: authority}}]
              - match: [{headers: {x-exact: {exact: "1"}}}]
                route: [{destination: {host: h-exact}}]
              - match: [{headers: {x-prefix: {prefix: "ab"}}}]
                route: [{destination: {host: h-prefix}}]
              - match: [{headers: {x-regex: {regex: "(?i)jason"}}}]
                route: [{destination: {host: h-regex}}]
              - match: [{headers: {x-present: {}}}]
                route: [{destination: {host: h-present}}]
              - match: [{headers: {x-star: {regex: "*"}}}]
                route: [{destination: {host: h-star}}]
              - match: [{uri: {prefix: /without}, withoutHeaders: {x-user: {exact: "bob"}}}]
                route: [{destination: {host: without}}]
              - match: [{queryParams: {debug: {exact: ""}}}]
                route: [{destination: {host: q-bare}}]
              - match: [{queryParams: {id: {regex: "\\\\d+"}}}]
                route: [{destination: {host: q-regex}}]
              - match: [{uri: {prefix: /port}, port: 80}]
                route: [{destination: {host: port80}}]
              - match: [{uri: {prefix: /port}, port: 8080}]
                route: [{destination: {host: port8080}}]
              - match:
                - {uri: {prefix: /or1}}
                - {uri: {prefix: /or2}}
                route: [{destination: {host: or}}]
              - route: [{destination: {host: fallback}}]
            """;

    @BeforeAll
    static void start() {
        gw = GatewayHarness.withEcho(GatewayHarness.testOptions());
        gw.apply(gateway("*"), VS);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static String cluster(String path, String... headers) {
        Resp r = gw.get("match.test", path, headers);
        assertEquals(200, r.status(), path);
        String c = r.header("x-echo-cluster");
        return c.substring(c.lastIndexOf('|') + 1).replace(".default.svc.cluster.local", "");
    }

    @Test
    void uriExact() {
        assertEquals("exact", cluster("/exact"));
        assertEquals("exact", cluster("/exact?x=1"), "the query is not part of the path");
        assertEquals("fallback", cluster("/exact/more"));
    }

    @Test
    void uriPrefixIsAPlainStringPrefix() {
        assertEquals("prefix", cluster("/prefix"));
        assertEquals("prefix", cluster("/prefixed/x"));
    }

    @Test
    void uriRegexIsAFullMatch() {
        assertEquals("regex", cluster("/re/123"));
        assertEquals("fallback", cluster("/re/123/x"));
    }

    @Test
    void ignoreUriCase() {
        assertEquals("nocase", cluster("/CASE"));
        assertEquals("nocase", cluster("/case"));
    }

    @Test
    void matchingHappensAfterPathNormalization() {
        assertEquals("exact", cluster("/x/../exact"));
        assertEquals("exact", cluster("/./%2e%2E/exact"));
    }

    @Test
    void method() {
        Resp r = gw.send(gw.h1, HttpMethod.POST, gw.port(), "match.test", "/m", "x");
        assertEquals("outbound|||method.default.svc.cluster.local", r.header("x-echo-cluster"));
        assertEquals("fallback", cluster("/m"));
    }

    @Test
    void schemeIsHttpOnAPlainListener() {
        assertEquals("fallback", cluster("/s"));
    }

    @Test
    void authorityMatchesTheHeaderAsReceived() {
        Resp r = gw.get("match.test:81", "/anything");
        assertEquals("outbound|||authority.default.svc.cluster.local", r.header("x-echo-cluster"));
    }

    @Test
    void headerExactPrefixRegexPresence() {
        assertEquals("h-exact", cluster("/", "x-exact", "1"));
        assertEquals("fallback", cluster("/", "x-exact", "10"));
        assertEquals("h-prefix", cluster("/", "x-prefix", "abc"));
        assertEquals("h-regex", cluster("/", "x-regex", "JaSon"));
        assertEquals("fallback", cluster("/", "x-regex", "jason2"));
        assertEquals("h-present", cluster("/", "x-present", ""));
        assertEquals("h-star", cluster("/", "x-star", "anything"));
        assertEquals("h-exact", cluster("/", "X-Exact", "1"), "header names are case-insensitive");
    }

    @Test
    void withoutHeaders() {
        assertEquals("without", cluster("/without"), "a missing header is not 'bob'");
        assertEquals("without", cluster("/without", "x-user", "alice"));
        assertEquals("fallback", cluster("/without", "x-user", "bob"));
    }

    @Test
    void queryParams() {
        assertEquals("q-bare", cluster("/q?debug"));
        assertEquals("fallback", cluster("/q?debug=1"));
        assertEquals("q-regex", cluster("/q?id=42"));
        assertEquals("fallback", cluster("/q?id=a42"));
    }

    @Test
    void portIsTheGatewayServicePortNotTheLocalOne() {
        assertEquals("port80", cluster("/port"));
    }

    @Test
    void matchesAreOred() {
        assertEquals("or", cluster("/or1"));
        assertEquals("or", cluster("/or2"));
    }

    @Test
    void absentMatchIsTheCatchAll() {
        assertEquals("fallback", cluster("/nothing/else"));
    }
}

package dev.meshgate.gateway.listener;

import dev.meshgate.gateway.testing.GatewayHarness;
import dev.meshgate.gateway.testing.GatewayHarness.Resp;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.meshgate.gateway.testing.TestConfig.gateway;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One end-to-end test per route action, each with the Istio default when the field is absent. */
class ActionE2ETest {

    private static GatewayHarness gw;

    private static final String VS = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: actions, namespace: default}
            spec:
              hosts: ["act.test"]
              gateways: [istio-system/gw]
              http:
              - name: redirect-default
                match: [{uri: {prefix: /r/default}}]
                redirect: {uri: /moved}
              - name: redirect-full
                match: [{uri: {prefix: /r/full}}]
                redirect: {uri: /new, authority: other.test, scheme: https, port: 8443, redirectCode: 308}
              - name: redirect-default-port
                match: [{uri: {prefix: /r/https}}]
                redirect: {scheme: https, port: 443}
              - name: redirect-protocol-default
                match: [{uri: {prefix: /r/proto}}]
                redirect: {authority: "x.test:9999", derivePort: FROM_PROTOCOL_DEFAULT}
              - name: redirect-request-port
                match: [{uri: {prefix: /r/reqport}}]
                redirect: {authority: x.test, derivePort: FROM_REQUEST_PORT, redirectCode: 302}
              - name: direct-string
                match: [{uri: {exact: /direct}}]
                directResponse: {status: 418, body: {string: "I'm a teapot"}}
                headers: {response: {set: {content-type: application/x-tea}, add: {x-route: direct}}}
              - name: direct-bytes
                match: [{uri: {exact: /direct-bytes}}]
                directResponse: {status: 200, body: {bytes: "aGVsbG8="}}
              - name: direct-empty
                match: [{uri: {exact: /direct-empty}}]
                directResponse: {status: 503}
              - name: rw-prefix
                match: [{uri: {prefix: /api/}}]
                rewrite: {uri: /v2/, authority: backend.internal}
                route: [{destination: {host: svc}}]
              - name: rw-regex
                match: [{uri: {prefix: /service/}}]
                rewrite: {uriRegexRewrite: {match: "^/service/([^/]+)(/.*)$", rewrite: "/customprefix\\\\2/\\\\1"}}
                route: [{destination: {host: svc}}]
              - name: headers
                match: [{uri: {prefix: /headers}}]
                headers:
                  request: {set: {x-set: route, host: from-route-headers}, add: {x-add: route}, remove: [x-remove]}
                  response: {set: {x-resp: route}, remove: [x-echo-cluster]}
                route:
                - destination: {host: svc}
                  headers:
                    request: {set: {x-add: dest, host: from-dest}, add: {x-dest: "1"}}
                    response: {add: {x-resp: dest}}
              - name: dest-authority
                match: [{uri: {prefix: /dest-authority}}]
                route:
                - destination: {host: svc}
                  headers: {request: {set: {host: from-dest}}}
              - name: policies
                match: [{uri: {prefix: /policies}}]
                timeout: 1500ms
                retries: {attempts: 4, perTryTimeout: 300ms, retryOn: "gateway-error,429"}
                mirrors:
                - destination: {host: shadow-a}
                - destination: {host: shadow-b}
                  percentage: {value: 12.5}
                route: [{destination: {host: svc, subset: v2, port: {number: 9080}}}]
              - name: abort
                match: [{uri: {prefix: /abort}}]
                fault: {abort: {httpStatus: 555, percentage: {value: 100}}}
                route: [{destination: {host: svc}}]
              - name: abort-grpc
                match: [{uri: {prefix: /grpc-abort}}]
                fault: {abort: {grpcStatus: UNAVAILABLE, percentage: {value: 100}}}
                route: [{destination: {host: svc}}]
              - name: abort-no-percentage
                match: [{uri: {prefix: /never-abort}}]
                fault: {abort: {httpStatus: 555}}
                route: [{destination: {host: svc}}]
              - name: delay
                match: [{uri: {prefix: /delay}}]
                fault: {delay: {fixedDelay: 300ms, percentage: {value: 100}}}
                route: [{destination: {host: svc}}]
              - name: cors
                match: [{uri: {prefix: /cors}}]
                corsPolicy:
                  allowOrigins: [{exact: "https://a.example"}, {regex: "https://.*\\\\.b\\\\.example"}]
                  allowMethods: [GET, POST]
                  allowHeaders: [x-custom]
                  exposeHeaders: [x-exposed]
                  maxAge: 24h
                  allowCredentials: true
                route: [{destination: {host: svc}}]
              - name: cors-ignore
                match: [{uri: {prefix: /ignorecors}}]
                corsPolicy:
                  allowOrigins: [{exact: "https://a.example"}]
                  unmatchedPreflights: IGNORE
                route: [{destination: {host: svc}}]
              - name: split
                match: [{uri: {prefix: /split}}]
                route:
                - {destination: {host: a}, weight: 90}
                - {destination: {host: b}, weight: 10}
              - name: single
                route: [{destination: {host: svc}, weight: 5}]
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

    @Test
    void redirectDefaultsTo301KeepsSchemeHostAndQuery() {
        Resp r = gw.get("act.test", "/r/default?a=1");
        assertEquals(301, r.status());
        assertEquals("http://act.test/moved?a=1", r.header("location"));
        assertEquals("", r.body());
    }

    @Test
    void redirectWithEveryField() {
        Resp r = gw.get("act.test", "/r/full");
        assertEquals(308, r.status());
        assertEquals("https://other.test:8443/new", r.header("location"));
    }

    @Test
    void redirectOmitsTheDefaultPortOfTheScheme() {
        Resp r = gw.get("act.test", "/r/https/x");
        assertEquals("https://act.test/r/https/x", r.header("location"));
    }

    @Test
    void redirectDerivePort() {
        assertEquals("http://x.test/r/proto", gw.get("act.test", "/r/proto").header("location"));
        Resp r = gw.get("act.test", "/r/reqport");
        assertEquals(302, r.status());
        assertEquals("http://x.test/r/reqport", r.header("location"), "listener port 80 is the http default");
    }

    @Test
    void directResponseWithRouteResponseHeaders() {
        Resp r = gw.get("act.test", "/direct");
        assertEquals(418, r.status());
        assertEquals("I'm a teapot", r.body());
        assertEquals("application/x-tea", r.header("content-type"));
        assertEquals("direct", r.header("x-route"));
        Resp b = gw.get("act.test", "/direct-bytes");
        assertEquals("hello", b.body());
        assertEquals("text/plain", b.header("content-type"));
        Resp e = gw.get("act.test", "/direct-empty");
        assertEquals(503, e.status());
        assertEquals("", e.body());
    }

    @Test
    void prefixRewriteAndAuthorityRewrite() {
        Resp r = gw.get("act.test", "/api/users?id=7");
        assertEquals("/v2/users?id=7", r.json().get("path"));
        assertEquals("/api/users?id=7", r.upstreamHeader("x-envoy-original-path"));
        assertEquals("backend.internal", r.json().get("authority"));
    }

    @Test
    void regexRewriteWithGroups() {
        Resp r = gw.get("act.test", "/service/orders/list/all");
        assertEquals("/customprefix/list/all/orders", r.json().get("path"));
    }

    @Test
    void noRewriteSendsTheNormalizedPathAndOriginalAuthority() {
        Resp r = gw.get("act.test", "/a/b/../c?q=1");
        assertEquals("/a/c?q=1", r.json().get("path"));
        assertEquals("act.test", r.json().get("authority"));
        assertNull(r.upstreamHeader("x-envoy-original-path"));
    }

    @Test
    void headerOperationsRouteThenDestination() {
        Resp r = gw.get("act.test", "/headers", "x-remove", "bye", "x-add", "client");
        assertEquals("route", r.upstreamHeader("x-set"));
        assertEquals("dest", r.upstreamHeader("x-add"), "a destination set runs after the route add");
        assertEquals("1", r.upstreamHeader("x-dest"));
        assertNull(r.upstreamHeader("x-remove"));
        assertEquals("from-route-headers", r.json().get("authority"), "route headers host beats destination host");
        assertEquals(List.of("route", "dest"), r.headers().getAll("x-resp"));
        assertNull(r.header("x-echo-cluster"), "response remove ops run on upstream responses");
    }

    @Test
    void destinationHostHeaderRewritesAuthorityWhenTheRouteDoesNot() {
        assertEquals("from-dest", gw.get("act.test", "/dest-authority").json().get("authority"));
    }

    @Test
    void timeoutRetriesAndMirrorsReachTheForwarder() {
        Map<String, Object> j = gw.get("act.test", "/policies").json();
        assertEquals("outbound|9080|v2|svc.default.svc.cluster.local", j.get("cluster"));
        assertEquals(1500, ((Number) j.get("timeoutMs")).intValue());
        assertEquals(4, ((Number) j.get("retryAttempts")).intValue());
        assertEquals(300, ((Number) j.get("perTryTimeoutMs")).intValue());
        assertEquals(List.of("gateway-error", "retriable-status-codes"), j.get("retryOn"));
        assertEquals(List.of(429), j.get("retryCodes"));
        assertEquals(List.of(Map.of("cluster", "outbound|||shadow-a.default.svc.cluster.local", "percentage", 100.0),
                Map.of("cluster", "outbound|||shadow-b.default.svc.cluster.local", "percentage", 12.5)), j.get("mirrors"));
    }

    @Test
    void defaultsWhenTimeoutAndRetriesAreAbsent() {
        Map<String, Object> j = gw.get("act.test", "/plain").json();
        assertNull(j.get("timeoutMs"));
        assertEquals(2, ((Number) j.get("retryAttempts")).intValue());
        assertEquals(List.of("cancelled", "connect-failure", "refused-stream", "retriable-status-codes", "unavailable"),
                j.get("retryOn"));
        assertEquals(List.of(), j.get("retryCodes"));
        assertEquals(List.of(), j.get("mirrors"));
    }

    @Test
    void faultAbort() {
        Resp r = gw.get("act.test", "/abort");
        assertEquals(555, r.status());
        assertEquals("fault filter abort", r.body());
        Resp g = gw.get("act.test", "/grpc-abort");
        assertEquals(200, g.status());
        assertEquals("14", g.header("grpc-status"));
        assertEquals(200, gw.get("act.test", "/never-abort").status(), "unset percentage never aborts");
    }

    @Test
    void faultDelay() {
        long t0 = System.nanoTime();
        Resp r = gw.get("act.test", "/delay");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, r.status());
        assertEquals("DI", r.json().get("flags"));
        assertTrue(ms >= 300, "delayed by at least 300ms, took " + ms);
    }

    @Test
    void corsPreflightIsAnsweredAtTheGateway() {
        Resp r = gw.send(gw.h1, HttpMethod.OPTIONS, gw.port(), "act.test", "/cors", null,
                "origin", "https://x.b.example", "access-control-request-method", "POST");
        assertEquals(200, r.status());
        assertEquals("https://x.b.example", r.header("access-control-allow-origin"));
        assertEquals("GET,POST", r.header("access-control-allow-methods"));
        assertEquals("x-custom", r.header("access-control-allow-headers"));
        assertEquals("86400", r.header("access-control-max-age"));
        assertEquals("true", r.header("access-control-allow-credentials"));
        assertNull(r.header("x-echo-cluster"), "not forwarded");
    }

    @Test
    void corsActualRequestIsDecoratedAndNeverBlocked() {
        Resp ok = gw.get("act.test", "/cors", "origin", "https://a.example");
        assertEquals("https://a.example", ok.header("access-control-allow-origin"));
        assertEquals("x-exposed", ok.header("access-control-expose-headers"));
        Resp other = gw.get("act.test", "/cors", "origin", "https://evil.example");
        assertEquals(200, other.status());
        assertNull(other.header("access-control-allow-origin"));
    }

    @Test
    void unmatchedPreflightsForwardByDefaultOrAreIgnored() {
        Resp fwd = gw.send(gw.h1, HttpMethod.OPTIONS, gw.port(), "act.test", "/cors", null,
                "origin", "https://evil.example", "access-control-request-method", "POST");
        assertTrue(fwd.header("x-echo-cluster") != null, "FORWARD (default) sends it upstream");
        Resp ign = gw.send(gw.h1, HttpMethod.OPTIONS, gw.port(), "act.test", "/ignorecors", null,
                "origin", "https://evil.example", "access-control-request-method", "POST");
        assertEquals(200, ign.status());
        assertNull(ign.header("x-echo-cluster"));
        assertNull(ign.header("access-control-allow-origin"));
    }

    @Test
    void weightedSplitIsPerRequest() {
        int a = 0;
        int n = 1000;
        for (int i = 0; i < n; i++) {
            if (gw.get("act.test", "/split").header("x-echo-cluster").endsWith("|a.default.svc.cluster.local")) {
                a++;
            }
        }
        assertTrue(a > 850 && a < 950, "90/10 split, got " + a + "/" + n);
    }

    @Test
    void singleDestinationIgnoresItsWeight() {
        for (int i = 0; i < 20; i++) {
            assertEquals(200, gw.get("act.test", "/single" + i).status());
        }
    }
}

package dev.meshgate.gateway.route;

import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.gateway.runtime.GatewayOptions;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.meshgate.gateway.testing.TestConfig.gateway;
import static dev.meshgate.gateway.testing.TestConfig.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteCompilerTest {

    private static RouteConfig compile(ConfigSnapshot s) {
        return RouteCompiler.compile(s, GatewayOptions.DEFAULT_LABELS, "istio-system");
    }

    private static VirtualHostTable port80(RouteConfig c) {
        ListenerRoutes l = c.listeners().get(new ListenerKey(null, 80));
        assertNotNull(l, "listener on 80");
        return l.hosts();
    }

    private static String vs(String ns, String name, String created, String hosts, String gateways, String http) {
        return "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: " + name
                + ", namespace: " + ns + (created == null ? "" : ", creationTimestamp: \"" + created + "\"") + "}\n"
                + "spec:\n  hosts: " + hosts + "\n" + (gateways == null ? "" : "  gateways: " + gateways + "\n")
                + "  http:\n" + http;
    }

    private static String direct(String name, int status) {
        return "  - name: " + name + "\n    directResponse: {status: " + status + "}\n";
    }

    private static List<String> routeNames(VirtualHost vh) {
        return vh.routes().stream().map(CompiledRoute::name).toList();
    }

    @Test
    void gatewaySelectorMustBeASubsetOfTheInstanceLabels() {
        String other = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: egress, namespace: istio-system}
                spec:
                  selector: {istio: egressgateway}
                  servers:
                  - port: {number: 9000, name: http, protocol: HTTP}
                    hosts: ["*"]
                """;
        String anyNs = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: team, namespace: team-a}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 8080, name: http, protocol: HTTP}
                    hosts: ["*"]
                """;
        RouteConfig c = compile(snapshot(gateway("*"), other, anyNs));
        assertTrue(c.listeners().containsKey(new ListenerKey(null, 80)));
        assertTrue(c.listeners().containsKey(new ListenerKey(null, 8080)), "gateways in any namespace apply");
        assertFalse(c.listeners().containsKey(new ListenerKey(null, 9000)));
    }

    @Test
    void serversOnOnePortShareOneListenerAndBindSplitsThem() {
        String two = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw2, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http2, protocol: HTTP}
                    hosts: ["b.example.com"]
                  - port: {number: 80, name: http-internal, protocol: HTTP}
                    bind: 127.0.0.2
                    hosts: ["c.example.com"]
                """;
        RouteConfig c = compile(snapshot(gateway("a.example.com"), two));
        assertEquals(2, c.listeners().size());
        assertEquals(2, c.listeners().get(new ListenerKey(null, 80)).servers().size());
        assertNotNull(c.listeners().get(new ListenerKey("127.0.0.2", 80)));
    }

    @Test
    void bindingByGatewayReferenceForms() {
        String cfg = gateway("*");
        RouteConfig c = compile(snapshot(cfg,
                vs("default", "by-ns-name", null, "[a.com]", "[istio-system/gw]", direct("r", 200)),
                vs("istio-system", "bare", null, "[b.com]", "[gw]", direct("r", 200)),
                vs("istio-system", "dot", null, "[c.com]", "[./gw]", direct("r", 200)),
                vs("default", "fqdn", null, "[d.com]", "[gw.istio-system.svc.cluster.local]", direct("r", 200)),
                vs("default", "bare-wrong-ns", null, "[e.com]", "[gw]", direct("r", 200)),
                vs("default", "mesh-only", null, "[f.com]", null, direct("r", 200))));
        VirtualHostTable t = port80(c);
        for (String h : List.of("a.com", "b.com", "c.com", "d.com")) {
            assertNotNull(t.select(h), h);
        }
        assertNull(t.select("e.com"), "a bare name is resolved in the VirtualService's namespace");
        assertNull(t.select("f.com"), "no gateways means mesh only");
    }

    @Test
    void exportToIsCheckedAgainstTheInstanceNamespace() {
        RouteConfig c = compile(snapshot(gateway("*"),
                vs("default", "private-elsewhere", null, "[a.com]", "[istio-system/gw]", direct("r", 200))
                        .replace("spec:\n", "spec:\n  exportTo: [\".\"]\n"),
                vs("default", "exported", null, "[b.com]", "[istio-system/gw]", direct("r", 200))
                        .replace("spec:\n", "spec:\n  exportTo: [istio-system]\n"),
                vs("istio-system", "private-here", null, "[c.com]", "[gw]", direct("r", 200))
                        .replace("spec:\n", "spec:\n  exportTo: [\".\"]\n")));
        VirtualHostTable t = port80(c);
        assertNull(t.select("a.com"));
        assertNotNull(t.select("b.com"));
        assertNotNull(t.select("c.com"));
    }

    @Test
    void hostIntersectionKeepsTheMoreSpecificNameAndServerNamespaces() {
        String gw = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*/*.example.com", "team-a/team.org", "./own.org"]
                """;
        RouteConfig c = compile(snapshot(gw,
                vs("default", "star", null, "[\"*\"]", "[istio-system/gw]", direct("star", 200)),
                vs("default", "api", null, "[api.example.com, example.com]", "[istio-system/gw]", direct("api", 200)),
                vs("team-a", "team", null, "[team.org]", "[istio-system/gw]", direct("team", 200)),
                vs("default", "team-wrong", null, "[team.org]", "[istio-system/gw]", direct("wrong", 200)),
                vs("istio-system", "own", null, "[own.org]", "[gw]", direct("own", 200))));
        VirtualHostTable t = port80(c);
        assertEquals("*.example.com", t.select("www.example.com").domain());
        assertEquals(List.of("star"), routeNames(t.select("www.example.com")));
        // the exact vhost from "api" wins and the wildcard VS's routes are not tried (no fall-through)
        assertEquals(List.of("api"), routeNames(t.select("api.example.com")));
        assertNull(t.select("example.com"), "*.example.com does not cover example.com");
        assertEquals(List.of("team"), routeNames(t.select("team.org")));
        assertEquals(List.of("own"), routeNames(t.select("own.org")));
    }

    @Test
    void routeOrderIsCreationTimeThenNameThenNamespaceAndCatchAllLast() {
        String m = "  - name: %s\n    match: [{uri: {prefix: /%s}}]\n    directResponse: {status: 200}\n"
                + "  - name: %s-all\n    directResponse: {status: 200}\n";
        RouteConfig c = compile(snapshot(gateway("*"),
                vs("b", "x", "2024-01-02T00:00:00Z", "[h.com]", "[istio-system/gw]", m.formatted("late", "l", "late")),
                vs("a", "x", "2024-01-01T00:00:00Z", "[h.com]", "[istio-system/gw]", m.formatted("early", "e", "early")),
                vs("b", "same", "2024-01-01T00:00:00Z", "[h.com]", "[istio-system/gw]", m.formatted("same-b", "s", "same-b")),
                vs("a", "same", "2024-01-01T00:00:00Z", "[h.com]", "[istio-system/gw]", m.formatted("same-a", "t", "same-a"))));
        assertEquals(List.of("same-a", "same-b", "early", "late", "same-a-all", "same-b-all", "early-all", "late-all"),
                routeNames(port80(c).select("h.com")));
    }

    @Test
    void aCatchAllEndsItsVirtualServiceAndMatchesExpandInOrder() {
        String http = """
                  - name: first
                    match:
                    - {name: a, uri: {exact: /a}}
                    - {name: b, uri: {prefix: /}}
                    - {name: c, uri: {exact: /c}}
                    directResponse: {status: 200}
                  - name: never
                    directResponse: {status: 200}
                """;
        RouteConfig c = compile(snapshot(gateway("*"), vs("default", "v", null, "[h.com]", "[istio-system/gw]", http)));
        VirtualHost vh = port80(c).select("h.com");
        assertEquals(List.of("first.a", "first.b"), routeNames(vh));
        assertTrue(vh.routes().get(1).catchAll());
        assertFalse(vh.routes().get(0).catchAll());
    }

    @Test
    void matchLevelGatewaysPortAndSourceLabelsAreResolvedAtCompileTime() {
        String http = """
                  - name: other-gw
                    match: [{gateways: [istio-system/other], uri: {prefix: /x}}]
                    directResponse: {status: 200}
                  - name: this-gw
                    match: [{gateways: [istio-system/gw], uri: {prefix: /y}}]
                    directResponse: {status: 200}
                  - name: port-8080
                    match: [{port: 8080, uri: {prefix: /z}}]
                    directResponse: {status: 200}
                  - name: port-80
                    match: [{port: 80, uri: {prefix: /w}}]
                    directResponse: {status: 200}
                  - name: src-app
                    match: [{sourceLabels: {app: client}, uri: {prefix: /v}}]
                    directResponse: {status: 200}
                  - name: src-ingress
                    match: [{sourceLabels: {istio: ingressgateway}, uri: {prefix: /u}}]
                    directResponse: {status: 200}
                  - name: src-ns
                    match: [{sourceNamespace: default, uri: {prefix: /t}}]
                    directResponse: {status: 200}
                """;
        RouteConfig c = compile(snapshot(gateway("*"), vs("default", "v", null, "[h.com]", "[mesh]", http)));
        assertEquals(List.of("this-gw", "port-80", "src-ingress"), routeNames(port80(c).select("h.com")));
    }

    @Test
    void httpsRedirectMarksTheServersHosts() {
        String gw = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["secure.com"]
                    tls: {httpsRedirect: true}
                """;
        VirtualHost vh = port80(compile(snapshot(gw))).select("secure.com");
        assertNotNull(vh);
        assertTrue(vh.requireTls());
    }

    @Test
    void rewriteIsPrefixReplacementOnlyForPrefixMatches() {
        String http = """
                  - match: [{uri: {prefix: /api/}}]
                    rewrite: {uri: /v2/}
                    route: [{destination: {host: svc}}]
                  - match: [{uri: {exact: /old}}]
                    rewrite: {uri: /new}
                    route: [{destination: {host: svc}}]
                  - match: [{uri: {regex: "/r/.*"}}]
                    rewrite: {uri: /whole}
                    route: [{destination: {host: svc}}]
                  - rewrite: {uri: /root/}
                    route: [{destination: {host: svc}}]
                """;
        VirtualHost vh = port80(compile(snapshot(gateway("*"), vs("default", "v", null, "[h.com]", "[istio-system/gw]", http))))
                .select("h.com");
        assertEquals("/v2/x/y", vh.routes().get(0).pathRewrite().apply("/api/x/y"));
        assertEquals("/new", vh.routes().get(1).pathRewrite().apply("/old"));
        assertEquals("/whole", vh.routes().get(2).pathRewrite().apply("/r/abc"));
        assertEquals("/root/a", vh.routes().get(3).pathRewrite().apply("/a"));
    }

    @Test
    void retriesFaultsAndMirrorsCompileWithIstioDefaults() {
        String http = """
                  - name: defaults
                    match: [{uri: {prefix: /d}}]
                    route: [{destination: {host: svc}}]
                    mirror: {host: shadow}
                  - name: custom
                    match: [{uri: {prefix: /c}}]
                    route: [{destination: {host: svc, subset: v1, port: {number: 9080}}}]
                    timeout: 2s
                    retries: {attempts: 3, perTryTimeout: 500ms, retryOn: "5xx,503,reset"}
                    mirror: {host: shadow}
                    mirrorPercentage: {value: 0}
                  - name: no-retries
                    match: [{uri: {prefix: /n}}]
                    route: [{destination: {host: svc}}]
                    retries: {attempts: 0}
                    fault: {abort: {httpStatus: 418}}
                """;
        VirtualHost vh = port80(compile(snapshot(gateway("*"), vs("default", "v", null, "[h.com]", "[istio-system/gw]", http))))
                .select("h.com");
        ForwardAction d = ((RouteAction.Forward) vh.routes().get(0).action()).action();
        assertEquals(RetryPolicy.ISTIO_DEFAULT, d.retries());
        assertNull(d.timeout());
        assertEquals(List.of(new MirrorPolicy(new ClusterKey("shadow.default.svc.cluster.local", "", 0), 100.0)),
                d.mirrors());
        assertEquals("outbound|||svc.default.svc.cluster.local", d.destinations().get(0).cluster().name());
        ForwardAction c = ((RouteAction.Forward) vh.routes().get(1).action()).action();
        assertEquals(2000, c.timeout().toMillis());
        assertEquals(3, c.retries().attempts());
        assertEquals(500, c.retries().perTryTimeout().toMillis());
        assertEquals(java.util.Set.of("5xx", "reset", "retriable-status-codes"), c.retries().retryOn());
        assertEquals(java.util.Set.of(503), c.retries().retriableStatusCodes());
        assertTrue(c.mirrors().isEmpty(), "mirrorPercentage 0 means never");
        assertEquals("outbound|9080|v1|svc.default.svc.cluster.local", c.destinations().get(0).cluster().name());
        CompiledRoute n = vh.routes().get(2);
        assertEquals(0, ((RouteAction.Forward) n.action()).action().retries().attempts());
        assertFalse(n.fault().rollAbort(), "an abort without percentage never fires");
    }

    @Test
    void weightsAreRelativeAndZeroWeightsAreDropped() {
        String http = """
                  - route:
                    - {destination: {host: a}, weight: 3}
                    - {destination: {host: b}, weight: 0}
                    - {destination: {host: c}, weight: 1}
                """;
        VirtualHost vh = port80(compile(snapshot(gateway("*"), vs("default", "v", null, "[h.com]", "[istio-system/gw]", http))))
                .select("h.com");
        RouteAction.Forward f = (RouteAction.Forward) vh.routes().get(0).action();
        assertEquals(2, f.action().destinations().size());
        int a = 0;
        for (int i = 0; i < 4000; i++) {
            if (f.pick().cluster().host().startsWith("a.")) {
                a++;
            }
        }
        assertTrue(a > 2700 && a < 3300, "3:1 split, got " + a + "/4000");
    }

    @Test
    void headerOpsDropPseudoHeadersAndHostBecomesAnAuthorityRewrite() {
        String http = """
                  - headers:
                      request:
                        set: {Host: set.example, X-A: "1"}
                        add: {host: added.example, x-b: "2"}
                        remove: [x-c, ":path"]
                    route: [{destination: {host: svc}}]
                """;
        CompiledRoute r = port80(compile(snapshot(gateway("*"), vs("default", "v", null, "[h.com]", "[istio-system/gw]", http))))
                .select("h.com").routes().get(0);
        assertEquals("set.example", r.authorityRewrite());
        assertEquals(Map.of("x-a", "1"), r.requestOps().set());
        assertEquals(Map.of("x-b", "2"), r.requestOps().add());
        assertEquals(List.of("x-c"), r.requestOps().remove());
        MultiMap h = MultiMap.caseInsensitiveMultiMap().add("x-c", "gone").add("x-b", "0");
        r.requestOps().applyTo(h);
        assertEquals(List.of("0", "2"), h.getAll("x-b"));
        assertFalse(h.contains("x-c"));
    }
}

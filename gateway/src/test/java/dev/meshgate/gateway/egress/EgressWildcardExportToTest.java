package dev.meshgate.gateway.egress;

import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.testing.GatewayHarness;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.meshgate.gateway.testing.GatewayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An egress gateway ({@code istio=egressgateway}, namespace istio-system) admits a host covered by a wildcard
 * ServiceEntry, refuses one no visible entry covers, and ignores entries not exported to its namespace.
 */
class EgressWildcardExportToTest {

    static GatewayHarness gw;

    private static final String ROUTE = """
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: %1$s, namespace: istio-system}
            spec:
              hosts: [%2$s]
              gateways: [egress]
              http:
              - route:
                - destination: {host: %2$s, port: {number: 80}}
            """;

    private static String entry(String name, String ns, String host, String exportTo, int port) {
        return """
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: %s, namespace: %s}
                spec:
                  hosts: ["%s"]
                  exportTo: %s
                  location: MESH_EXTERNAL
                  resolution: STATIC
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  endpoints: [{address: 127.0.0.1, ports: {http: %d}}]
                """.formatted(name, ns, host, exportTo, port);
    }

    @BeforeAll
    static void start() {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        int backend = await(vertx.createHttpServer().requestHandler(req -> req.response()
                .end("external " + req.authority().host())).listen(0, "127.0.0.1")).actualPort();
        GatewayOptions o = GatewayHarness.testOptions();
        o = new GatewayOptions(Map.of("istio", "egressgateway"), "istio-system", o.portMap(), o.eventLoops(),
                o.acceptHttp10(), o.bindHost());
        gw = GatewayHarness.withRuntime(vertx, GatewayRuntime.create(vertx, o), o);
        StringBuilder config = new StringBuilder("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: egress, namespace: istio-system}
                spec:
                  selector: {istio: egressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*"]
                """);
        for (String host : new String[]{"api.wild.test", "deep.api.wild.test", "wild.test", "other.test",
                "private.test", "own.test", "named.test", "nowhere.test"}) {
            config.append(ROUTE.formatted(host.replace('.', '-'), host));
        }
        config.append(entry("wild", "default", "*.wild.test", "[]", backend));
        // exported only to its own namespace (default): invisible to a gateway in istio-system
        config.append(entry("private", "default", "private.test", "[.]", backend));
        // "." in the gateway's own namespace is visible
        config.append(entry("own", "istio-system", "own.test", "[.]", backend));
        config.append(entry("named", "default", "named.test", "[istio-system]", backend));
        config.append(entry("nowhere", "default", "nowhere.test", "[\"~\"]", backend));
        gw.apply(config.toString());
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void aHostUnderAWildcardServiceEntryIsAdmitted() {
        GatewayHarness.Resp r = gw.get("api.wild.test", "/");
        assertEquals(200, r.status(), r.body());
        assertEquals("external api.wild.test", r.body());
        // the wildcard covers every label depth below its suffix
        assertEquals(200, gw.get("deep.api.wild.test", "/").status());
    }

    @Test
    void hostsNoWildcardCoversAreRefusedWith502() {
        // *.wild.test never covers wild.test itself
        GatewayHarness.Resp r = gw.get("wild.test", "/");
        assertEquals(502, r.status(), r.body());
        assertTrue(r.body().contains("\"wild.test\" is not registered by any ServiceEntry"), r.body());
        r = gw.get("other.test", "/");
        assertEquals(502, r.status(), r.body());
        assertTrue(r.body().contains("\"other.test\""), r.body());
    }

    @Test
    void serviceEntriesNotExportedToTheGatewayNamespaceAreInvisible() {
        GatewayHarness.Resp r = gw.get("private.test", "/");
        assertEquals(502, r.status(), r.body());
        assertTrue(r.body().contains("\"private.test\""), r.body());
        assertEquals(502, gw.get("nowhere.test", "/").status());
        assertEquals(200, gw.get("own.test", "/").status());
        assertEquals(200, gw.get("named.test", "/").status());
    }
}

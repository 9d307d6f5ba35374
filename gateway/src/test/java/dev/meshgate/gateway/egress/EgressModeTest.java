package dev.meshgate.gateway.egress;

import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.testing.GatewayHarness;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GatewayRuntime.create: the istio=egressgateway label turns on registry-only egress; an ingress keeps 503 NC. */
class EgressModeTest {

    private static final String CONFIG = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: istio-system}
            spec:
              selector: {istio: %s}
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: [nowhere.external.test]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: nowhere, namespace: istio-system}
            spec:
              hosts: [nowhere.external.test]
              gateways: [gw]
              http:
              - route:
                - destination: {host: nowhere.external.test, port: {number: 80}}
            """;

    private static GatewayHarness start(String istioLabel) {
        GatewayOptions o = GatewayHarness.testOptions();
        o = new GatewayOptions(Map.of("istio", istioLabel), o.gatewayNamespace(), o.portMap(), o.eventLoops(),
                o.acceptHttp10(), o.bindHost());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        GatewayHarness gw = GatewayHarness.withRuntime(vertx, GatewayRuntime.create(vertx, o), o);
        gw.apply(CONFIG.formatted(istioLabel));
        return gw;
    }

    @Test
    void egressGatewayRefusesUnregisteredHostsWith502() {
        try (GatewayHarness gw = start("egressgateway")) {
            GatewayHarness.Resp r = gw.get("nowhere.external.test", "/");
            assertEquals(502, r.status(), r.body());
            assertTrue(r.body().contains("\"nowhere.external.test\" is not registered by any ServiceEntry"), r.body());
        }
    }

    @Test
    void ingressGatewayKeepsIstios503ClusterNotFound() {
        try (GatewayHarness gw = start("ingressgateway")) {
            assertEquals(503, gw.get("nowhere.external.test", "/").status());
        }
    }
}

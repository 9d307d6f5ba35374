package dev.meshgate.gateway.runtime;

import dev.meshgate.gateway.testing.GatewayHarness;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A WebSocket upgrade routed by a VirtualService and tunnelled by the upstream side to an echo backend. */
class WebSocketE2ETest {

    @Test
    void websocketEchoThroughTheGateway() {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        HttpServer echo = GatewayHarness.await(vertx.createHttpServer()
                .webSocketHandler(ws -> ws.handler(b -> ws.writeTextMessage("echo:" + b + ":" + ws.path())))
                .listen(0, "127.0.0.1"));
        String cfg = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*"]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: ws, namespace: default}
                spec:
                  hosts: [ws.default.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  endpoints: [{address: 127.0.0.1, ports: {http: %d}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: ws, namespace: default}
                spec:
                  hosts: ["*"]
                  gateways: [istio-system/gw]
                  http:
                  - match: [{uri: {prefix: /chat}}]
                    rewrite: {uri: /socket}
                    route: [{destination: {host: ws}}]
                """.formatted(echo.actualPort());
        GatewayOptions opts = GatewayHarness.testOptions();
        try (GatewayHarness gw = GatewayHarness.withRuntime(vertx, GatewayRuntime.create(vertx, opts), opts)) {
            gw.apply(cfg);
            WebSocket ws = GatewayHarness.await(vertx.createWebSocketClient().connect(
                    new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gw.port()).setURI("/chat/room1")));
            io.vertx.core.Promise<String> got = io.vertx.core.Promise.promise();
            ws.textMessageHandler(got::tryComplete);
            ws.writeTextMessage("hi");
            assertEquals("echo:hi:/socket/room1", GatewayHarness.await(got.future()));
            GatewayHarness.await(ws.close());
        }
    }
}

package dev.meshgate.gateway.admin;

import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.testing.GatewayHarness;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /listeners} of a gateway serving every kind of port: plain HTTP, HTTPS and TLS terminated, TLS
 * PASSTHROUGH and plain TCP, each with its Gateway port, bind address, kind, servers and hosts, and a local port
 * that really accepts connections.
 */
class ListenerTableViewTest {

    @TempDir
    static Path dir;
    static Vertx vertx;
    static GatewayHarness gw;

    @BeforeAll
    static void start() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("listeners root");
        write(dir.resolve("web"), ca.issue(LeafSpec.forDns("web.example.com")));
        write(dir.resolve("tcp"), ca.issue(LeafSpec.forDns("tls.example.com")));
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        NetServer echo = GatewayHarness.await(vertx.createNetServer().connectHandler(so -> so.pipeTo(so))
                .listen(0, "127.0.0.1"));
        Map<Integer, Integer> ports = new HashMap<>(Map.of(80, 0, 443, 0, 8443, 0, 9443, 0, 31400, 0));
        GatewayOptions opts = GatewayOptions.defaults().withBindHost("127.0.0.1").withEventLoops(2)
                .withPortMap(ports);
        gw = GatewayHarness.withRuntime(vertx, GatewayRuntime.create(vertx, opts), opts);
        gw.apply("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: all, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: [web.example.com]
                  - port: {number: 443, name: https, protocol: HTTPS}
                    hosts: [web.example.com]
                    tls: {mode: SIMPLE, serverCertificate: %1$s/web/cert.pem, privateKey: %1$s/web/key.pem}
                  - port: {number: 8443, name: tls, protocol: TLS}
                    hosts: [tls.example.com]
                    tls: {mode: SIMPLE, serverCertificate: %1$s/tcp/cert.pem, privateKey: %1$s/tcp/key.pem}
                  - port: {number: 9443, name: pass, protocol: TLS}
                    hosts: [pass.example.com]
                    tls: {mode: PASSTHROUGH}
                  - port: {number: 31400, name: tcp, protocol: TCP}
                    hosts: ["*"]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: all, namespace: default}
                spec:
                  hosts: ["*"]
                  gateways: [istio-system/all]
                  http:
                  - route: [{destination: {host: echo.default.svc.cluster.local, port: {number: 9000}}}]
                  tls:
                  - match: [{port: 9443, sniHosts: [pass.example.com]}]
                    route: [{destination: {host: echo.default.svc.cluster.local, port: {number: 9000}}}]
                  tcp:
                  - match: [{port: 8443}]
                    route: [{destination: {host: echo.default.svc.cluster.local, port: {number: 9000}}}]
                  - match: [{port: 31400}]
                    route: [{destination: {host: echo.default.svc.cluster.local, port: {number: 9000}}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: echo, namespace: default}
                spec:
                  hosts: [echo.default.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9000, name: tcp, protocol: TCP}]
                  endpoints: [{address: 127.0.0.1, ports: {tcp: %2$d}}]
                """.formatted(dir, echo.actualPort()));
    }

    static void write(Path d, IssuedCertificate leaf) throws Exception {
        Files.createDirectories(d);
        Files.writeString(d.resolve("cert.pem"), leaf.certificatePem());
        Files.writeString(d.resolve("key.pem"), leaf.privateKeyPem());
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void everyKindOfListenerIsShownWithItsBoundPort() throws Exception {
        GatewayRuntime rt = gw.runtime;
        ListenerTableView view = new ListenerTableView(rt::routeConfig, rt::boundPorts, "127.0.0.1",
                () -> rt.edge().status());
        JsonObject json = view.render().toCompletionStage().toCompletableFuture().get();
        JsonArray all = json.getJsonArray("listeners");
        assertEquals(5, all.size(), all.encodePrettily());
        Map<Integer, JsonObject> byPort = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            byPort.put(all.getJsonObject(i).getInteger("port"), all.getJsonObject(i));
        }
        assertEquals(List.of(80, 443, 8443, 9443, 31400),
                all.stream().map(o -> ((JsonObject) o).getInteger("port")).toList(), "sorted by port");

        expect(byPort.get(80), "http", "HTTP", List.of("web.example.com"));
        expect(byPort.get(443), "terminate", "HTTPS", List.of("web.example.com"));
        expect(byPort.get(8443), "terminate", "TLS", List.of("tls.example.com"));
        expect(byPort.get(9443), "passthrough", "TLS", List.of("pass.example.com"));
        expect(byPort.get(31400), "tcp", "TCP", List.of());
        assertTrue(byPort.get(443).getJsonArray("gateways").getString(0).contains("istio-system/all"),
                byPort.get(443).encode());
        assertTrue(byPort.get(443).getJsonArray("servers").getString(0).startsWith("web.example.com SIMPLE"),
                byPort.get(443).encode());
        assertTrue(byPort.get(31400).getJsonArray("gateways").getString(0).contains("istio-system/all"),
                byPort.get(31400).encode());
        assertTrue(byPort.get(31400).getJsonArray("servers").getString(0).contains("default/all"),
                "the TCP route: " + byPort.get(31400).encode());
        assertEquals(List.of("pass.example.com"), byPort.get(9443).getJsonArray("servers").getList());
        assertEquals("0.0.0.0_31400", byPort.get(31400).getString("name"));
    }

    private static void expect(JsonObject l, String kind, String protocol, List<String> hosts) throws Exception {
        assertNotNull(l);
        assertEquals(kind, l.getString("kind"), l.encode());
        assertEquals(protocol, l.getString("protocol"), l.encode());
        assertEquals("127.0.0.1", l.getString("address"), l.encode());
        assertEquals(hosts, l.getJsonArray("hosts").getList(), l.encode());
        Integer bound = l.getInteger("boundPort");
        assertNotNull(bound, l.encode());
        assertEquals(gw.runtime.localPort(l.getInteger("port")), bound.intValue());
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", bound), 5000); // really listening
            assertTrue(s.isConnected());
        }
    }
}

package dev.meshgate.gateway.upstream;

import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.networking.Protocol;
import dev.meshgate.config.model.networking.ServiceEntry;
import dev.meshgate.config.model.networking.ServicePort;
import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.exchange.ResponseFlag;
import dev.meshgate.gateway.route.RetryPolicy;
import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.testing.Dnsmasq;
import dev.meshgate.gateway.testing.GatewayHarness;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.meshgate.gateway.upstream.Fixtures.dest;
import static dev.meshgate.gateway.upstream.Fixtures.resource;
import static dev.meshgate.gateway.upstream.Fixtures.snapshot;
import static dev.meshgate.gateway.upstream.Harness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ServiceEntry {@code resolution: DYNAMIC_DNS} with a wildcard host: each request's Host is resolved through a real
 * dnsmasq on 127.0.0.1 that answers a.dyn.test = 127.0.0.2 and b.dyn.test = 127.0.0.3, where backends listen on
 * the same port (the entry port's targetPort).
 */
class DynamicDnsTest {

    @TempDir
    static Path dir;
    static Dnsmasq dnsmasq;
    static final Vertx backends = Vertx.vertx();
    static int port;

    @BeforeAll
    static void start() throws Exception {
        dnsmasq = Dnsmasq.start(dir, "127.0.0.2 a.dyn.test\n127.0.0.3 b.dyn.test\n", "dyn.test");
        // the same port on two loopback addresses; retry when another process holds it on the second address
        for (int attempt = 0; port == 0 && attempt < 20; attempt++) {
            HttpServer two = backends.createHttpServer(new HttpServerOptions().setHost("127.0.0.2").setPort(0))
                    .requestHandler(r -> r.response().end("2 " + r.authority().host()));
            int p = await(two.listen()).actualPort();
            try {
                await(backends.createHttpServer(new HttpServerOptions().setHost("127.0.0.3").setPort(p))
                        .requestHandler(r -> r.response().end("3 " + r.authority().host())).listen());
                port = p;
            } catch (AssertionError taken) {
                await(two.close());
            }
        }
        assertTrue(port > 0, "no port free on both 127.0.0.2 and 127.0.0.3");
    }

    @AfterAll
    static void stop() {
        if (dnsmasq != null) {
            dnsmasq.close();
        }
        await(backends.close());
    }

    private static ServiceEntry dynamicEntry(String host) {
        return new ServiceEntry(List.of(host), List.of(), List.of(new ServicePort(80, Protocol.HTTP, "http", port)),
                ServiceEntry.Location.MESH_EXTERNAL, ServiceEntry.Resolution.DYNAMIC_DNS, List.of(), null, List.of(),
                List.of());
    }

    private static String get(Harness h, String authority) {
        h.authority = authority;
        HttpClient client = h.client();
        return await(h.onLoop(() -> client.request(new RequestOptions().setURI("/")).compose(r -> r.send())
                .compose(r -> r.body().map(b -> r.statusCode() + " " + b))));
    }

    @Test
    void eachRequestHostIsResolvedAndUnknownNamesGetEnvoysDnsFailureReply() throws Exception {
        try (Harness h = new Harness(dev.meshgate.gateway.upstream.forward.ForwardOptions.DEFAULT, null,
                dnsmasq.server(), Duration.ofMillis(200))) {
            h.apply(snapshot(resource(Kind.SERVICE_ENTRY, "default", "dyn", dynamicEntry("*.dyn.test"))));
            h.route(dest("*.dyn.test"), null, RetryPolicy.NONE);

            assertEquals("200 2 a.dyn.test", get(h, "a.dyn.test"));
            assertEquals("127.0.0.2:" + port, h.lastExchange().upstreamHost());
            assertEquals("200 3 b.dyn.test", get(h, "b.dyn.test:80"));
            assertEquals("127.0.0.3:" + port, h.lastExchange().upstreamHost());
            assertEquals("200 2 a.dyn.test", get(h, "a.dyn.test"), "second request: from the cache");

            assertEquals("503 DNS resolution failure", get(h, "missing.dyn.test"));
            Exchange ex = h.lastExchange();
            assertTrue(ex.flags().contains(ResponseFlag.DF), ex.flagsString());
            assertTrue(ex.responseCodeDetails().startsWith("dns_resolution_failure{"), ex.responseCodeDetails());

            // a name outside the entry's wildcard is not resolved at all: no open proxy
            String refused = get(h, "elsewhere.test");
            assertTrue(refused.startsWith("502 ") && refused.contains("elsewhere.test"), refused);

            // the answer changes: once the cached answer is older than the refresh rate, a request refreshes it
            dnsmasq.answer("127.0.0.3 a.dyn.test\n127.0.0.3 b.dyn.test\n");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            String body = get(h, "a.dyn.test");
            while (!body.equals("200 3 a.dyn.test") && System.nanoTime() < deadline) {
                assertEquals("200 2 a.dyn.test", body, "until the refresh, the last answer is used");
                body = get(h, "a.dyn.test");
            }
            assertEquals("200 3 a.dyn.test", body);
        }
    }

    /** Writes {@code request} and reads until {@code until} appears or the peer closes. */
    private static String exchange(java.net.Socket s, String request, String until) throws java.io.IOException {
        s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!got.toString(java.nio.charset.StandardCharsets.ISO_8859_1).contains(until)) {
            int n = s.getInputStream().read(buf);
            if (n < 0) {
                break;
            }
            got.write(buf, 0, n);
        }
        return got.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Test
    void theForwardProxyResolvesDynamicDnsHostsForTunnelsAndAbsoluteFormRequests() throws Exception {
        try (Harness h = new Harness(dev.meshgate.gateway.upstream.forward.ForwardOptions.DEFAULT, null,
                dnsmasq.server(), Duration.ofSeconds(60))) {
            h.apply(snapshot(resource(Kind.SERVICE_ENTRY, "default", "dyn", dynamicEntry("*.dyn.test"))));
            dev.meshgate.gateway.egress.ForwardProxy proxy = new dev.meshgate.gateway.egress.ForwardProxy(h.vertx,
                    h.manager);
            int proxyPort = await(proxy.listen("127.0.0.1", 0));
            try {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", proxyPort)) {
                    // b.dyn.test: the one name whose answer no test changes
                    String r = exchange(s, "GET http://b.dyn.test/x HTTP/1.1\r\nHost: b.dyn.test\r\n\r\n",
                            "3 b.dyn.test");
                    assertTrue(r.startsWith("HTTP/1.1 200") && r.endsWith("3 b.dyn.test"), r);
                }
                // CONNECT to the entry port: the tunnel goes to the resolved address on the targetPort
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", proxyPort)) {
                    String r = exchange(s, "CONNECT b.dyn.test:80 HTTP/1.1\r\nHost: b.dyn.test:80\r\n\r\n",
                            "\r\n\r\n");
                    assertTrue(r.startsWith("HTTP/1.1 200"), r);
                    r = exchange(s, "GET / HTTP/1.1\r\nHost: b.dyn.test\r\n\r\n", "3 b.dyn.test");
                    assertTrue(r.endsWith("3 b.dyn.test"), r);
                }
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", proxyPort)) {
                    String r = exchange(s, "CONNECT gone.dyn.test:80 HTTP/1.1\r\nHost: gone.dyn.test:80\r\n\r\n",
                            "DNS resolution failure");
                    assertTrue(r.startsWith("HTTP/1.1 503") && r.endsWith("DNS resolution failure"), r);
                }
            } finally {
                await(proxy.close());
            }
        }
    }

    @Test
    void anEgressGatewayServesDynamicDnsForHostsUnderTheWildcard() {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        GatewayOptions o = GatewayHarness.testOptions();
        o = new GatewayOptions(Map.of("istio", "egressgateway"), "istio-system", o.portMap(), o.eventLoops(),
                o.acceptHttp10(), o.bindHost());
        try (GatewayHarness gw = GatewayHarness.withRuntime(vertx,
                GatewayRuntime.create(vertx, o, null, dnsmasq.server(), Duration.ofSeconds(60)), o)) {
            gw.apply("""
                    apiVersion: networking.istio.io/v1
                    kind: Gateway
                    metadata: {name: egress, namespace: istio-system}
                    spec:
                      selector: {istio: egressgateway}
                      servers:
                      - port: {number: 80, name: http, protocol: HTTP}
                        hosts: ["*.dyn.test"]
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: {name: dyn, namespace: istio-system}
                    spec:
                      hosts: ["*.dyn.test"]
                      gateways: [egress]
                      http:
                      - route:
                        - destination: {host: "*.dyn.test", port: {number: 80}}
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: ServiceEntry
                    metadata: {name: dyn, namespace: default}
                    spec:
                      hosts: ["*.dyn.test"]
                      location: MESH_EXTERNAL
                      resolution: DYNAMIC_DNS
                      ports: [{number: 80, name: http, protocol: HTTP, targetPort: %d}]
                    """.formatted(port));
            GatewayHarness.Resp r = gw.get("b.dyn.test", "/");
            assertEquals(200, r.status(), r.body());
            assertEquals("3 b.dyn.test", r.body());
            r = gw.get("nothere.dyn.test", "/");
            assertEquals(503, r.status(), r.body());
            assertEquals("DNS resolution failure", r.body());
        }
    }
}

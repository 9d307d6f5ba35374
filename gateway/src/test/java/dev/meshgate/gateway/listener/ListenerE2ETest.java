package dev.meshgate.gateway.listener;

import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.testing.GatewayHarness;
import dev.meshgate.gateway.testing.GatewayHarness.Resp;
import dev.meshgate.gateway.testing.TestConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.meshgate.gateway.testing.TestConfig.gateway;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Listener behaviour: protocols, Istio's local replies, request header hygiene, virtual host selection. */
class ListenerE2ETest {

    private static GatewayHarness gw;

    private static final String VS = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: hosts, namespace: default}
            spec:
              hosts: ["exact.test"]
              gateways: [istio-system/gw]
              http:
              - route: [{destination: {host: exact}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: wildcard, namespace: default}
            spec:
              hosts: ["*.wild.test"]
              gateways: [istio-system/gw]
              http:
              - match: [{uri: {prefix: /only}}]
                route: [{destination: {host: wild}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: narrow, namespace: default}
            spec:
              hosts: ["api.wild.test"]
              gateways: [istio-system/gw]
              http:
              - match: [{uri: {prefix: /api}}]
                route: [{destination: {host: api}}]
            """;

    @BeforeAll
    static void start() {
        gw = GatewayHarness.withEcho(GatewayHarness.testOptions());
        gw.apply(gateway("*.test"), VS);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void noRouteIs404WithEmptyBody() {
        Resp r = gw.get("nothing.test", "/");
        assertEquals(404, r.status());
        assertEquals("", r.body());
        Resp r2 = gw.get("x.wild.test", "/elsewhere");
        assertEquals(404, r2.status());
    }

    @Test
    void mostSpecificVirtualHostWinsWithoutFallThrough() {
        assertEquals(200, gw.get("x.wild.test", "/only").status());
        assertEquals(200, gw.get("api.wild.test", "/api").status());
        assertEquals(404, gw.get("api.wild.test", "/only").status(), "the *.wild.test routes are not tried");
    }

    @Test
    void hostMatchingIgnoresPortAndCase() {
        assertEquals(200, gw.get("EXACT.test:8080", "/").status());
        assertEquals(200, gw.get("exact.test:80", "/").status());
    }

    @Test
    void http2PriorKnowledgeOnTheSamePort() {
        Resp r = gw.send(gw.h2, HttpMethod.GET, gw.port(), "exact.test", "/h2", null);
        assertEquals(HttpVersion.HTTP_2, r.version());
        assertEquals(200, r.status());
        assertEquals("exact.test", r.json().get("authority"));
        assertEquals(404, gw.send(gw.h2, HttpMethod.GET, gw.port(), "none.test", "/", null).status());
    }

    @Test
    void http10Gets426() throws IOException {
        String resp = raw("GET / HTTP/1.0\r\nHost: exact.test\r\n\r\n");
        assertTrue(resp.startsWith("HTTP/1.0 426") || resp.startsWith("HTTP/1.1 426"), resp);
    }

    @Test
    void http10IsServedWhenAccepted() throws IOException {
        try (GatewayHarness g10 = GatewayHarness.withEcho(GatewayHarness.testOptions().withAcceptHttp10(true))) {
            g10.apply(gateway("*.test"), VS);
            String resp = raw(g10.port(), "GET / HTTP/1.0\r\nHost: exact.test\r\n\r\n");
            assertTrue(resp.contains(" 200 "), resp);
        }
    }

    @Test
    void invalidPercentEncodingIs400() throws IOException {
        String resp = raw("GET /a%zz HTTP/1.1\r\nHost: exact.test\r\nConnection: close\r\n\r\n");
        assertTrue(resp.startsWith("HTTP/1.1 400"), resp);
    }

    @Test
    void upstreamHeadersAreCleanedAndForwardingHeadersSet() {
        Resp r = gw.get("exact.test", "/", "x-forwarded-for", "10.0.0.1", "proxy-authorization", "secret",
                "keep-alive", "timeout=5", "te", "trailers", "traceparent", "00-abc-def-01", "x-b3-traceid", "1234",
                "connection", "x-conn-listed", "x-conn-listed", "drop-me");
        assertEquals("10.0.0.1,127.0.0.1", r.upstreamHeader("x-forwarded-for"));
        assertEquals("http", r.upstreamHeader("x-forwarded-proto"));
        assertEquals("127.0.0.1", r.upstreamHeader("x-envoy-external-address"));
        assertNotNull(r.upstreamHeader("x-request-id"));
        assertEquals("trailers", r.upstreamHeader("te"));
        assertEquals("00-abc-def-01", r.upstreamHeader("traceparent"));
        assertEquals("1234", r.upstreamHeader("x-b3-traceid"));
        assertNull(r.upstreamHeader("proxy-authorization"));
        assertNull(r.upstreamHeader("keep-alive"));
        assertNull(r.upstreamHeader("connection"));
        assertNull(r.upstreamHeader("x-conn-listed"));
        assertNull(r.upstreamHeader("host"), "Host travels as the exchange authority");
    }

    @Test
    void requestIdIsKeptWhenPresentAndUniqueOtherwise() {
        assertEquals("my-id", gw.get("exact.test", "/", "x-request-id", "my-id").upstreamHeader("x-request-id"));
        assertNotEquals(gw.get("exact.test", "/").upstreamHeader("x-request-id"),
                gw.get("exact.test", "/").upstreamHeader("x-request-id"));
    }

    @Test
    void requestBodyIsHandedToTheForwarder() {
        Resp r = gw.send(gw.h1, HttpMethod.POST, gw.port(), "exact.test", "/", "payload");
        assertEquals("payload", r.json().get("requestBody"));
    }

    @Test
    void curlAgainstTheGateway() throws Exception {
        Process p = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                "-H", "Host: exact.test", "http://127.0.0.1:" + gw.port() + "/curl").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        assertEquals("200", out);
        Process p2 = new ProcessBuilder("curl", "-s", "--http2-prior-knowledge", "-o", "/dev/null", "-w",
                "%{http_version} %{http_code}", "-H", "Host: nope.test", "http://127.0.0.1:" + gw.port() + "/")
                .redirectErrorStream(true).start();
        String out2 = new String(p2.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p2.waitFor());
        assertEquals("2 404", out2);
    }

    @Test
    void httpsRedirectServerAnswers301() {
        String gwYaml = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["secure.test"]
                    tls: {httpsRedirect: true}
                """;
        try (GatewayHarness g = GatewayHarness.withEcho(GatewayHarness.testOptions())) {
            g.apply(gwYaml);
            Resp r = g.get("secure.test:80", "/path?q=1");
            assertEquals(301, r.status());
            assertEquals("https://secure.test/path?q=1", r.header("location"));
        }
    }

    @Test
    void listenersFollowTheConfigAndUnchangedPortsKeepTheirSocket() throws Exception {
        String two = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*"]
                  - port: {number: 8080, name: http-alt, protocol: HTTP}
                    hosts: ["*"]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: all, namespace: default}
                spec:
                  hosts: ["*"]
                  gateways: [istio-system/gw]
                  http:
                  - directResponse: {status: 204}
                """;
        try (GatewayHarness g = GatewayHarness.withEcho(GatewayHarness.testOptions())) {
            g.apply(two);
            int p80 = g.runtime.localPort(80);
            int p8080 = g.runtime.localPort(8080);
            assertTrue(p8080 > 0);
            // a kept-alive connection on port 80 must survive a reload that keeps port 80
            try (Socket s = new Socket("127.0.0.1", p80)) {
                assertTrue(exchange(s, "GET / HTTP/1.1\r\nHost: a\r\n\r\n").startsWith("HTTP/1.1 204"));
                g.apply(two.replace("  - port: {number: 8080, name: http-alt, protocol: HTTP}\n    hosts: [\"*\"]\n", "")
                        .replace("status: 204", "status: 202"));
                assertEquals(p80, g.runtime.localPort(80));
                assertEquals(-1, g.runtime.localPort(8080));
                assertTrue(exchange(s, "GET / HTTP/1.1\r\nHost: a\r\n\r\n").startsWith("HTTP/1.1 202"),
                        "same socket, new route table");
            }
            assertTrue(noLongerServes(p8080), "removed port is closed");
        }
    }

    @Test
    void serverBindOpensItsOwnListener() {
        String gwYaml = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["public.test"]
                  - port: {number: 80, name: http-internal, protocol: HTTP}
                    bind: 127.0.0.2
                    hosts: ["internal.test"]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: internal, namespace: istio-system}
                spec:
                  hosts: ["internal.test"]
                  gateways: [gw]
                  http:
                  - directResponse: {status: 201}
                """;
        try (GatewayHarness g = GatewayHarness.withEcho(GatewayHarness.testOptions())) {
            g.apply(gwYaml);
            Map<dev.meshgate.gateway.route.ListenerKey, Integer> ports = g.runtime.boundPorts();
            assertEquals(2, ports.size());
            int internal = ports.get(new dev.meshgate.gateway.route.ListenerKey("127.0.0.2", 80));
            int main = ports.get(new dev.meshgate.gateway.route.ListenerKey(null, 80));
            io.vertx.core.http.RequestOptions ro = new io.vertx.core.http.RequestOptions().setHost("127.0.0.2")
                    .setPort(internal).setURI("/");
            int status = GatewayHarness.await(g.h1.request(ro).compose(req -> {
                req.authority(io.vertx.core.net.HostAndPort.create("internal.test", -1));
                return req.send();
            }).map(io.vertx.core.http.HttpClientResponse::statusCode));
            assertEquals(201, status);
            assertEquals(404, g.send(g.h1, HttpMethod.GET, main, "internal.test", "/", null).status(),
                    "the 127.0.0.2 server's hosts are not on the other listener");
        }
    }

    /**
     * The port refuses connections, or (if another process on this busy machine took the freed port meanwhile)
     * at least does not answer with our routes.
     */
    private static boolean noLongerServes(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(2000);
            String head = exchange(s, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            return !head.startsWith("HTTP/1.1 20");
        } catch (IOException e) {
            return true;
        }
    }

    /** Sends one request on a kept-alive socket and reads one response with a known empty body. */
    private static String exchange(Socket s, String request) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (!buf.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            buf.write(b);
        }
        return buf.toString(StandardCharsets.US_ASCII);
    }

    private static String raw(String request) throws IOException {
        return raw(gw.port(), request);
    }

    private static String raw(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] b = new byte[4096];
            try {
                int n;
                while ((n = in.read(b)) > 0) {
                    buf.write(b, 0, n);
                    if (buf.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n")) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException e) {
                // return what we have
            }
            return buf.toString(StandardCharsets.US_ASCII);
        }
    }
}

package dev.meshgate.gateway.upstream;

import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.networking.Protocol;
import dev.meshgate.config.model.networking.ServiceEntry;
import dev.meshgate.config.model.networking.WorkloadEntry;
import dev.meshgate.gateway.egress.ForwardProxy;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.meshgate.gateway.upstream.Fixtures.port;
import static dev.meshgate.gateway.upstream.Fixtures.resource;
import static dev.meshgate.gateway.upstream.Fixtures.snapshot;
import static dev.meshgate.gateway.upstream.Harness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The explicit forward proxy: CONNECT and absolute-form requests admitted only for ServiceEntry hosts. */
class ForwardProxyTest {

    private final Harness h = new Harness();
    private ForwardProxy proxy;
    private int proxyPort;

    @BeforeEach
    void start() {
        int web = await(h.vertx.createHttpServer().requestHandler(r -> r.response().end("web " + r.uri()))
                .listen(0, "127.0.0.2")).actualPort();
        NetServer echo = h.vertx.createNetServer().connectHandler(s -> s.handler(s::write));
        int echoPort = await(echo.listen(0, "127.0.0.3")).actualPort();
        ServiceEntry api = new ServiceEntry(List.of("api.external.test"), List.of(),
                List.of(port(80, "http", Protocol.HTTP)), ServiceEntry.Location.MESH_EXTERNAL,
                ServiceEntry.Resolution.STATIC, List.of(new WorkloadEntry("127.0.0.2", Map.of("http", web), Map.of(),
                null, null, 0, null)), null, List.of(), List.of());
        ServiceEntry wild = new ServiceEntry(List.of("*.wild.test"), List.of(),
                List.of(port(443, "tls", Protocol.TLS)), ServiceEntry.Location.MESH_EXTERNAL,
                ServiceEntry.Resolution.STATIC, List.of(new WorkloadEntry("127.0.0.3", Map.of("tls", echoPort),
                Map.of(), null, null, 0, null)), null, List.of(), List.of());
        h.apply(snapshot(resource(Kind.SERVICE_ENTRY, "default", "api", api),
                resource(Kind.SERVICE_ENTRY, "default", "wild", wild)));
        proxy = new ForwardProxy(h.vertx, h.manager);
        proxyPort = await(proxy.listen("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        await(proxy.close());
        h.close();
    }

    /** Sends {@code request} to the proxy and reads until {@code until} appears or the peer closes. */
    private static String exchange(Socket s, String request, String until) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!got.toString(StandardCharsets.ISO_8859_1).contains(until)) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            got.write(buf, 0, n);
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    private Socket socket() throws IOException {
        Socket s = new Socket("127.0.0.1", proxyPort);
        s.setSoTimeout(10_000);
        return s;
    }

    @Test
    void connectToAWildcardRegisteredHostTunnelsBytesBothWays() throws Exception {
        try (Socket s = socket()) {
            String head = exchange(s, "CONNECT api.wild.test:443 HTTP/1.1\r\nHost: api.wild.test:443\r\n\r\n",
                    "\r\n\r\n");
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            assertEquals("ping-through-tunnel", exchange(s, "ping-through-tunnel", "tunnel"));
        }
    }

    @Test
    void connectToAnUnregisteredHostIsRefused() throws Exception {
        try (Socket s = socket()) {
            String resp = exchange(s, "CONNECT evil.example.com:443 HTTP/1.1\r\nHost: evil.example.com:443\r\n\r\n",
                    "ServiceEntry");
            assertTrue(resp.startsWith("HTTP/1.1 403"), resp);
            assertTrue(resp.contains("\"evil.example.com\""), resp);
        }
        // a registered wildcard host on a port the entry does not declare is refused too
        try (Socket s = socket()) {
            String resp = exchange(s, "CONNECT api.wild.test:8443 HTTP/1.1\r\nHost: api.wild.test:8443\r\n\r\n",
                    "ServiceEntry");
            assertTrue(resp.startsWith("HTTP/1.1 403"), resp);
        }
        assertEquals(2, proxy.refusedCount());
    }

    @Test
    void absoluteFormRequestsGoToTheRegisteredCluster() throws Exception {
        try (Socket s = socket()) {
            String resp = exchange(s, "GET http://api.external.test/path?q=1 HTTP/1.1\r\nHost: api.external.test\r\n"
                    + "Connection: close\r\n\r\n", "web /path?q=1");
            assertTrue(resp.startsWith("HTTP/1.1 200"), resp);
            assertTrue(resp.endsWith("web /path?q=1"), resp);
        }
        try (Socket s = socket()) {
            String resp = exchange(s, "GET http://other.test/ HTTP/1.1\r\nHost: other.test\r\nConnection: close\r\n\r\n",
                    "ServiceEntry");
            assertTrue(resp.startsWith("HTTP/1.1 403"), resp);
            assertTrue(resp.contains("\"other.test\""), resp);
        }
    }
}

package dev.meshgate.gateway.listener;

import dev.meshgate.gateway.testing.GatewayHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static dev.meshgate.gateway.testing.TestConfig.gateway;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which local replies end the downstream connection, checked on a raw socket. Envoy closes after protocol errors
 * (a request it cannot parse: 400; headers over the limit: 431) and after the 426 for HTTP/1.0; its ordinary local
 * replies (404 NR, fault aborts) keep the connection alive. Vert.x 5 ignores a Connection: close header on a
 * response, so the server must really close the socket: these tests see the EOF.
 */
class LocalReplyConnectionE2ETest {

    /** Bound on waiting for the server's EOF; the close itself comes right after the reply. */
    private static final int READ_TIMEOUT_MS = 10_000;

    private static GatewayHarness gw;

    private static final String VS = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: hosts, namespace: default}
            spec:
              hosts: ["exact.test"]
              gateways: [istio-system/gw]
              http:
              - match: [{uri: {prefix: /abort}}]
                fault: {abort: {httpStatus: 503, percentage: {value: 100}}}
                route: [{destination: {host: svc}}]
              - route: [{destination: {host: exact}}]
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
    void http10Gets426AndTheConnectionCloses() throws IOException {
        try (Socket s = socket()) {
            send(s, "GET / HTTP/1.0\r\nHost: exact.test\r\n\r\n");
            Reply r = read(s);
            assertTrue(r.head().startsWith("HTTP/1.0 426") || r.head().startsWith("HTTP/1.1 426"), r.head());
            assertEquals("close", r.header("connection"), r.head());
            assertTrue(closedByServer(s), "the server closes the connection after the 426");
        }
    }

    @Test
    void http10With426ClosesEvenWhenTheClientAsksForKeepAlive() throws IOException {
        try (Socket s = socket()) {
            send(s, "GET / HTTP/1.0\r\nHost: exact.test\r\nConnection: keep-alive\r\n\r\n");
            Reply r = read(s);
            assertTrue(r.head().startsWith("HTTP/1.0 426") || r.head().startsWith("HTTP/1.1 426"), r.head());
            // Vert.x 5.0.7 writes Connection: keep-alive on any response to an HTTP/1.0 keep-alive request (the
            // response's headersEndHandler, the only later hook, belongs to DrainingConnections); the close is real
            assertTrue(closedByServer(s), "the server closes the connection after the 426");
        }
    }

    @Test
    void malformedRequestGets400AndTheConnectionCloses() throws IOException {
        try (Socket s = socket()) {
            send(s, "GET / HTTP/1.1\r\nHost: exact.test\r\nBad Header Name: x\r\n\r\n");
            Reply r = read(s);
            assertTrue(r.head().startsWith("HTTP/1.1 400"), r.head());
            assertTrue(closedByServer(s), "a protocol error closes the connection");
        }
    }

    @Test
    void oversizedHeadersGet431AndTheConnectionCloses() throws IOException {
        try (Socket s = socket()) {
            send(s, "GET / HTTP/1.1\r\nHost: exact.test\r\nx-big: " + "a".repeat(70 * 1024) + "\r\n\r\n");
            Reply r = read(s);
            assertTrue(r.head().startsWith("HTTP/1.1 431"), r.head());
            assertTrue(closedByServer(s), "headers over the limit close the connection");
        }
    }

    @Test
    void notFoundKeepsTheConnection() throws IOException {
        try (Socket s = socket()) {
            send(s, "GET / HTTP/1.1\r\nHost: nothing.test\r\n\r\n");
            Reply first = read(s);
            assertTrue(first.head().startsWith("HTTP/1.1 404"), first.head());
            send(s, "GET / HTTP/1.1\r\nHost: exact.test\r\n\r\n");
            Reply second = read(s);
            assertTrue(second.head().startsWith("HTTP/1.1 200"), "same connection still serves: " + second.head());
        }
    }

    @Test
    void faultAbort503KeepsTheConnection() throws IOException {
        try (Socket s = socket()) {
            send(s, "GET /abort HTTP/1.1\r\nHost: exact.test\r\n\r\n");
            Reply first = read(s);
            assertTrue(first.head().startsWith("HTTP/1.1 503"), first.head());
            send(s, "GET / HTTP/1.1\r\nHost: exact.test\r\n\r\n");
            Reply second = read(s);
            assertTrue(second.head().startsWith("HTTP/1.1 200"), "same connection still serves: " + second.head());
        }
    }

    @Test
    void pathNormalizationFailureKeepsTheConnectionAsInEnvoy() throws IOException {
        try (Socket s = socket()) {
            send(s, "GET /a%zz HTTP/1.1\r\nHost: exact.test\r\n\r\n");
            Reply first = read(s);
            assertTrue(first.head().startsWith("HTTP/1.1 400"), first.head());
            send(s, "GET / HTTP/1.1\r\nHost: exact.test\r\n\r\n");
            Reply second = read(s);
            assertTrue(second.head().startsWith("HTTP/1.1 200"), "same connection still serves: " + second.head());
        }
    }

    record Reply(String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                }
            }
            return null;
        }
    }

    private static Socket socket() throws IOException {
        Socket s = new Socket("127.0.0.1", gw.port());
        s.setSoTimeout(READ_TIMEOUT_MS);
        return s;
    }

    private static void send(Socket s, String request) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    /** Reads one response: the head, then a Content-Length body (local replies always carry one). */
    static Reply read(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed inside the response head: " + head);
            }
            head.write(b);
        }
        Reply r = new Reply(head.toString(StandardCharsets.US_ASCII), "");
        String cl = r.header("content-length");
        int length = cl == null ? 0 : Integer.parseInt(cl);
        byte[] body = in.readNBytes(length);
        return new Reply(r.head(), new String(body, StandardCharsets.US_ASCII));
    }

    /** True when the server closes (EOF or reset) before the bound; false when the connection stays open. */
    static boolean closedByServer(Socket s) throws IOException {
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }
}

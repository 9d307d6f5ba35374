package dev.meshgate.gateway.upstream;

import dev.meshgate.gateway.route.RetryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static dev.meshgate.gateway.upstream.Fixtures.dest;
import static dev.meshgate.gateway.upstream.Fixtures.snapshot;
import static dev.meshgate.gateway.upstream.Fixtures.staticService;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The router's local replies on a raw HTTP/1.1 socket: a 503 to a complete request keeps the connection alive (as
 * Envoy does); a 503 sent while the client is still uploading its body closes the connection (Envoy closes an
 * HTTP/1 connection whose request is not complete when the reply goes out), since Vert.x would otherwise keep it
 * open until a body that never comes.
 */
class LocalReplyConnectionTest {

    /** Bound on waiting for the server's EOF; the close itself comes within the 1s delayed close. */
    private static final int READ_TIMEOUT_MS = 10_000;

    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void clusterNotFoundOnACompleteRequestKeepsTheConnection() throws IOException {
        int b = h.backend(req -> req.response().end("ok"));
        h.apply(snapshot(staticService("default", "svc.test", b)));
        h.route(dest("nope.test"), null, RetryPolicy.ISTIO_DEFAULT);
        try (Socket s = socket()) {
            send(s, "GET /a HTTP/1.1\r\nHost: svc.test\r\n\r\n");
            String first = readHead(s);
            assertTrue(first.startsWith("HTTP/1.1 503"), first);
            send(s, "GET /b HTTP/1.1\r\nHost: svc.test\r\n\r\n");
            String second = readHead(s);
            assertTrue(second.startsWith("HTTP/1.1 503"), "the same connection still serves: " + second);
        }
    }

    @Test
    void replyBeforeTheBodyIsCompleteClosesTheConnection() throws IOException {
        int b = h.backend(req -> req.response().end("ok"));
        h.apply(snapshot(staticService("default", "svc.test", b)));
        h.route(dest("nope.test"), null, RetryPolicy.ISTIO_DEFAULT);
        try (Socket s = socket()) {
            // announces 100 bytes, sends 10 and stalls
            send(s, "POST /upload HTTP/1.1\r\nHost: svc.test\r\nContent-Length: 100\r\n\r\n0123456789");
            String head = readHead(s);
            assertTrue(head.startsWith("HTTP/1.1 503"), head);
            assertTrue(head.toLowerCase().contains("connection: close"), head);
            assertTrue(closedByServer(s), "the server closes a connection whose request it will not read");
        }
    }

    private Socket socket() throws IOException {
        Socket s = new Socket("127.0.0.1", h.port);
        s.setSoTimeout(READ_TIMEOUT_MS);
        return s;
    }

    private static void send(Socket s, String request) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    /** Reads one response head and its Content-Length body; returns the head. */
    private static String readHead(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (!buf.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed inside the response head: " + buf);
            }
            buf.write(c);
        }
        String head = buf.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        in.readNBytes(length);
        return head;
    }

    private static boolean closedByServer(Socket s) throws IOException {
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }
}

package dev.meshgate.gateway.upstream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An HTTP/1.1 backend on 127.0.0.1 built on blocking sockets (one thread per connection), so a test controls
 * exactly what the gateway's upstream side sees: an answer, a late answer, silence, a FIN, a TCP RST, or the whole
 * server going away. It counts accepted and currently open connections; a connection counts as open until the
 * backend closed it or read end-of-stream from the gateway.
 */
final class FaultBackend implements AutoCloseable {

    /** What the backend does with one request, chosen by its path. */
    enum Fault {
        /** 200 at once, connection kept alive. */
        RESPOND,
        /** 200 after the backend's slow delay, connection kept alive. */
        SLOW,
        /**
         * Reads the request head and never answers, reading whatever else arrives (a body) until the gateway closes
         * the connection.
         */
        HANG,
        /** Sends the response head and 7 of its 100 body bytes, then nothing more. */
        STALL_BODY,
        /** Reads the request and closes the connection (FIN) without a byte of response. */
        CLOSE,
        /** Reads the request and aborts the connection with a TCP RST (SO_LINGER 0). */
        RESET
    }

    private final ServerSocket listener;
    private final Duration slowDelay;
    private volatile Function<String, Fault> behaviour;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    /** Open connections holding a request the backend has not finished answering. */
    private final Set<Socket> busy = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Semaphore arrivals = new Semaphore(0);
    /** "METHOD path attempt=N", in arrival order. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    FaultBackend(Duration slowDelay, Function<String, Fault> behaviour) {
        this(0, slowDelay, behaviour);
    }

    /** On a given port: a killed backend restarted where its clients know it. */
    FaultBackend(int port, Duration slowDelay, Function<String, Fault> behaviour) {
        this.slowDelay = slowDelay;
        this.behaviour = behaviour;
        try {
            listener = new ServerSocket();
            // the killed predecessor's connections may linger in TIME_WAIT on this port
            listener.setReuseAddress(true);
            listener.bind(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 128);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Thread t = new Thread(this::acceptLoop, "fault-backend-accept-" + listener.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    void behaviour(Function<String, Fault> b) {
        behaviour = b;
    }

    /** Connections accepted since start. */
    int accepted() {
        return accepted.get();
    }

    /** Connections neither closed by the backend nor ended by the gateway. */
    int open() {
        return open.size();
    }

    /**
     * Open connections holding a request that was not (fully) answered: hung or stalled ones the gateway has not
     * closed yet. A try abandoned before its request was written leaves an idle pooled connection, not a busy one.
     */
    int busy() {
        return busy.size();
    }

    /** Waits for {@code n} more requests to arrive (their head fully read) since the last wait. */
    void awaitRequests(int n) {
        try {
            if (!arrivals.tryAcquire(n, 10, TimeUnit.SECONDS)) {
                throw new AssertionError("expected " + n + " requests at the backend, " + arrivals.availablePermits()
                        + " arrived");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * The backend process dies: its listener goes away (new connects are refused) and every connection is closed,
     * in-flight requests included, as the kernel does for a killed process that had read its input.
     */
    void kill() {
        closed = true;
        closeQuietly(listener);
        for (Socket s : open) {
            closeQuietly(s);
            busy.remove(s);
            open.remove(s);
        }
    }

    @Override
    public void close() {
        kill();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            open.add(s);
            if (closed) {
                closeQuietly(s);
                open.remove(s);
                return;
            }
            Thread t = new Thread(() -> serve(s), "fault-backend-conn-" + s.getPort());
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                String[] line = head.substring(0, head.indexOf("\r\n")).split(" ");
                String path = line.length > 1 ? line[1] : "";
                busy.add(s);
                requests.add(line[0] + " " + path + " attempt=" + header(head, "x-envoy-attempt-count"));
                Fault f = behaviour.apply(path);
                arrivals.release();
                if (f != Fault.HANG) {
                    skipBody(in, head);
                }
                switch (f) {
                    case RESPOND -> respond(s, out, path);
                    case SLOW -> {
                        // the injected fault itself (a slow application), not a synchronisation
                        Thread.sleep(slowDelay.toMillis());
                        respond(s, out, path);
                    }
                    case STALL_BODY -> {
                        out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 100\r\n\r\n"
                                + "partial").getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        while (in.read() >= 0) {
                            // the rest of the body never comes; wait for the gateway to give up
                        }
                        return;
                    }
                    case HANG -> {
                        // read until the gateway gives up on the request and closes the connection
                        while (in.read() >= 0) {
                            // a keep-alive client does not pipeline: nothing else arrives here
                        }
                        return;
                    }
                    case CLOSE -> {
                        return;
                    }
                    case RESET -> {
                        s.setSoLinger(true, 0);
                        return;
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // the connection is gone (killed, reset by the gateway): it only has to leave the open set
        } finally {
            busy.remove(s);
            open.remove(s);
        }
    }

    private void respond(Socket s, OutputStream out, String path) throws IOException {
        byte[] body = ("ok " + path).getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        busy.remove(s);
    }

    /** The request line and headers up to the blank line, or null at end-of-stream. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(256);
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            int n = sb.length();
            if (n >= 4 && sb.charAt(n - 4) == '\r' && sb.charAt(n - 3) == '\n' && sb.charAt(n - 2) == '\r'
                    && sb.charAt(n - 1) == '\n') {
                return sb.toString();
            }
        }
        return null;
    }

    private static void skipBody(InputStream in, String head) throws IOException {
        String len = header(head, "content-length");
        if (len != null) {
            long n = Long.parseLong(len.trim());
            while (n > 0) {
                long skipped = in.skip(n);
                if (skipped <= 0 && in.read() < 0) {
                    throw new IOException("request body cut short");
                }
                n -= Math.max(skipped, 1);
            }
        }
    }

    private static String header(String head, String name) {
        for (String l : head.split("\r\n")) {
            int colon = l.indexOf(':');
            if (colon > 0 && l.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return l.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}

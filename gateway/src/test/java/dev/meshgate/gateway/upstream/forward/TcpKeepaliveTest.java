package dev.meshgate.gateway.upstream.forward;

import dev.meshgate.config.model.networking.ConnectionPoolSettings;
import dev.meshgate.config.model.networking.TCPSettings;
import dev.meshgate.config.model.networking.TcpKeepalive;
import dev.meshgate.config.model.networking.TrafficPolicy;
import dev.meshgate.gateway.upstream.cluster.ClientProfile;
import dev.meshgate.gateway.upstream.cluster.Keepalive;
import dev.meshgate.gateway.upstream.cluster.UpstreamProtocol;
import dev.meshgate.gateway.upstream.registry.TrafficPolicies;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * connectionPool.tcp.tcpKeepalive: the rule's values end up in the client profile, and the kernel reports them
 * (getsockopt) on the gateway's own upstream socket, the one the backend accepted (matched by its port).
 */
class TcpKeepaliveTest {

    private final Vertx vertx = Vertx.vertx();
    private final UpstreamClients clients = new UpstreamClients(vertx);
    private final Context loop = vertx.getOrCreateContext();
    /** Remote ports of the connections the backend accepted. */
    private final ConcurrentLinkedQueue<Integer> accepted = new ConcurrentLinkedQueue<>();

    @AfterEach
    void close() throws Exception {
        await(clients.close());
        await(vertx.close());
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private int backend() throws Exception {
        HttpServer s = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
        s.requestHandler(req -> {
            accepted.add(req.connection().remoteAddress().port());
            req.response().end(req.version().name());
        });
        return await(s.listen()).actualPort();
    }

    private static ClientProfile profile(TcpKeepalive keepalive, UpstreamProtocol protocol) {
        TrafficPolicy p = new TrafficPolicy(null, new ConnectionPoolSettings(
                new TCPSettings(0, null, keepalive, null, null), null), null, null, null, null, null, null);
        return ClientProfile.of(protocol, TrafficPolicies.compile(p));
    }

    private record Seen(int localPort, int[] keepalive, String body) {
    }

    /** One request through the profile's client, on an event loop; the socket is read while the request is open. */
    private Seen send(ClientProfile profile, int port) throws Exception {
        Promise<Seen> p = Promise.promise();
        loop.runOnContext(v -> clients.client(profile)
                .request(new RequestOptions().setHost("127.0.0.1").setPort(port).setURI("/"))
                .compose(req -> {
                    int[] ka = KeepaliveOptions.read(req.connection());
                    int local = req.connection().localAddress().port();
                    return req.send().compose(resp -> resp.body()).map(b -> new Seen(local, ka, b.toString()));
                }).onComplete(p));
        return await(p.future());
    }

    @Test
    void theRuleReachesTheProfile() {
        ClientProfile p = profile(new TcpKeepalive(4, Duration.ofSeconds(30), Duration.ofMillis(7_500)),
                UpstreamProtocol.HTTP1);
        // Istio hands whole seconds to Envoy
        assertEquals(new Keepalive(4, 30, 7), p.keepalive());
        assertNull(profile(null, UpstreamProtocol.HTTP1).keepalive());
        assertEquals(new Keepalive(0, 1, 0), profile(new TcpKeepalive(0, Duration.ofMillis(200), null),
                UpstreamProtocol.HTTP1).keepalive(), "sub-second time rounds up to the kernel's minimum");
    }

    @Test
    void http1UpstreamSocketCarriesTheKeepaliveSettings() throws Exception {
        int b = backend();
        Seen s = send(profile(new TcpKeepalive(4, Duration.ofSeconds(30), Duration.ofSeconds(7)),
                UpstreamProtocol.HTTP1), b);
        assertEquals("HTTP_1_1", s.body());
        assertEquals(s.localPort(), accepted.poll(), "the socket read is the one the backend accepted");
        assertArrayEquals(new int[] {1, 30, 7, 4}, s.keepalive(), "SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT");
    }

    @Test
    void h2cUpstreamSocketCarriesTheKeepaliveSettings() throws Exception {
        int b = backend();
        Seen s = send(profile(new TcpKeepalive(3, Duration.ofSeconds(45), Duration.ofSeconds(5)),
                UpstreamProtocol.H2C), b);
        assertEquals(HttpVersion.HTTP_2.name(), s.body());
        assertEquals(s.localPort(), accepted.poll());
        assertArrayEquals(new int[] {1, 45, 5, 3}, s.keepalive());
    }

    @Test
    void withoutTcpKeepaliveSoKeepaliveStaysOff() throws Exception {
        int b = backend();
        Seen s = send(profile(null, UpstreamProtocol.HTTP1), b);
        assertEquals(s.localPort(), accepted.poll());
        assertEquals(0, s.keepalive()[0]);
    }

    @Test
    void unsetValuesKeepTheOsDefaults() throws Exception {
        int b = backend();
        int[] os = send(profile(null, UpstreamProtocol.HTTP1), b).keepalive();
        // a different profile, so a new connection: only the idle time is set
        int[] onlyTime = send(profile(new TcpKeepalive(0, Duration.ofSeconds(11), null), UpstreamProtocol.HTTP1), b)
                .keepalive();
        assertArrayEquals(new int[] {1, 11, os[2], os[3]}, onlyTime);
    }

    @Test
    void l4SocketsGetTheSameSettings() throws Exception {
        io.vertx.core.net.NetServer server = vertx.createNetServer();
        server.connectHandler(sock -> accepted.add(sock.remoteAddress().port()));
        int port = await(server.listen(0, "127.0.0.1")).actualPort();
        io.vertx.core.net.NetClient net = vertx.createNetClient();
        Promise<int[]> p = Promise.promise();
        loop.runOnContext(v -> net.connect(port, "127.0.0.1").map(sock -> {
            int[] before = KeepaliveOptions.read(sock);
            KeepaliveOptions.apply(sock, new Keepalive(5, 20, 4));
            int[] after = KeepaliveOptions.read(sock);
            sock.close();
            return new int[] {before[0], after[0], after[1], after[2], after[3]};
        }).onComplete(p));
        assertArrayEquals(new int[] {0, 1, 20, 4, 5}, await(p.future()), "off before; on with the rule's values after");
    }
}

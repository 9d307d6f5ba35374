package dev.meshgate.gateway.upstream;

import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import dev.meshgate.config.model.networking.ClientTLSSettings;
import dev.meshgate.config.model.networking.ConnectionPoolSettings;
import dev.meshgate.config.model.networking.HTTPSettings;
import dev.meshgate.config.model.networking.HTTPSettings.H2UpgradePolicy;
import dev.meshgate.config.model.networking.Protocol;
import dev.meshgate.config.model.networking.TrafficPolicy;
import dev.meshgate.gateway.route.RetryPolicy;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.meshgate.gateway.upstream.Fixtures.dest;
import static dev.meshgate.gateway.upstream.Fixtures.port;
import static dev.meshgate.gateway.upstream.Fixtures.rule;
import static dev.meshgate.gateway.upstream.Fixtures.snapshot;
import static dev.meshgate.gateway.upstream.Fixtures.staticService;
import static dev.meshgate.gateway.upstream.Harness.await;
import static dev.meshgate.gateway.upstream.Harness.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * connectionPool.http h2UpgradePolicy, useClientProtocol and maxConcurrentStreams against real backends that
 * report the HTTP version they received.
 */
class UpstreamProtocolPolicyTest {

    private final Harness h = new Harness();
    private final HttpClient h1 = h.client();
    private final HttpClient h2 = h.h2Client();

    @AfterEach
    void close() {
        h.close();
    }

    private static TrafficPolicy http(H2UpgradePolicy upgrade, boolean useClientProtocol, int maxConcurrentStreams) {
        return new TrafficPolicy(null, new ConnectionPoolSettings(null, new HTTPSettings(0, 0, 0, 0, null, upgrade,
                useClientProtocol, maxConcurrentStreams, null)), null, null, null, null, null, null);
    }

    /** A backend answering with the protocol version it received. */
    private int versionBackend() {
        return h.backend(req -> req.response().end(req.version().name()));
    }

    private String version(HttpClient client) {
        return await(h.onLoop(() -> client.request(new RequestOptions().setURI("/v")).compose(req -> req.send())
                .compose(resp -> {
                    assertEquals(200, resp.statusCode());
                    return resp.body();
                }))).toString();
    }

    private void serve(int backend, TrafficPolicy policy) {
        serve(staticService("default", "svc.test", backend), policy);
    }

    private void serve(dev.meshgate.config.model.Resource<?> service, TrafficPolicy policy) {
        h.apply(policy == null ? snapshot(service) : snapshot(service, rule("default", "dr", "svc.test", policy)));
        h.route(dest("svc.test"), null, RetryPolicy.NONE);
    }

    @Test
    void defaultPolicyKeepsHttp1UpstreamForBothDownstreamProtocols() {
        int b = versionBackend();
        serve(b, http(H2UpgradePolicy.DEFAULT, false, 0));
        assertEquals("HTTP_1_1", version(h1));
        assertEquals("HTTP_1_1", version(h2));
        serve(b, null);
        assertEquals("HTTP_1_1", version(h2));
        serve(b, http(H2UpgradePolicy.DO_NOT_UPGRADE, false, 0));
        assertEquals("HTTP_1_1", version(h2));
    }

    @Test
    void upgradeTalksHttp2UpstreamEvenForHttp1Downstream() {
        int b = versionBackend();
        serve(b, http(H2UpgradePolicy.UPGRADE, false, 0));
        assertEquals("HTTP_2", version(h1));
        assertEquals("HTTP_2", version(h2));
    }

    @Test
    void doNotUpgradeLeavesAnHttp2PortOnHttp2() {
        int b = versionBackend();
        serve(staticService("default", "svc.test", port(80, "http2", Protocol.HTTP2), b),
                http(H2UpgradePolicy.DO_NOT_UPGRADE, false, 0));
        assertEquals("HTTP_2", version(h1));
    }

    @Test
    void useClientProtocolKeepsTheDownstreamProtocol() {
        int b = versionBackend();
        serve(b, http(H2UpgradePolicy.DEFAULT, true, 0));
        assertEquals("HTTP_1_1", version(h1));
        assertEquals("HTTP_2", version(h2));
        assertEquals("HTTP_1_1", version(h1));
        // on an HTTP2 port too: the downstream's protocol wins over the port's (Istio's setUseDownstreamProtocol)
        serve(staticService("default", "svc.test", port(80, "grpc", Protocol.GRPC), b),
                http(H2UpgradePolicy.DO_NOT_UPGRADE, true, 0));
        assertEquals("HTTP_1_1", version(h1));
        assertEquals("HTTP_2", version(h2));
    }

    @TempDir
    Path dir;

    @Test
    void upgradeWithTlsOriginationNegotiatesH2ByAlpn() throws Exception {
        String host = "h2.external.test";
        CertificateAuthority ca = CertificateAuthority.create("h2 origination root");
        IssuedCertificate leaf = ca.issue(LeafSpec.forDns(host));
        Path caFile = Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
        HttpServer s = h.vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
                .setUseAlpn(true).setSslEngineOptions(new OpenSSLEngineOptions())
                .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(leaf.certificatePem()))
                        .setKeyValue(Buffer.buffer(leaf.privateKeyPem()))));
        s.requestHandler(req -> req.response().end(req.version().name() + " " + req.connection().isSsl()));
        int b = await(s.listen()).actualPort();
        ClientTLSSettings tls = new ClientTLSSettings(ClientTLSSettings.TLSmode.SIMPLE, null, null, caFile.toString(),
                null, List.of(), null, null, null);
        h.authority = host;
        HTTPSettings upgrade = new HTTPSettings(0, 0, 0, 0, null, H2UpgradePolicy.UPGRADE, false, 0, null);
        h.apply(snapshot(staticService("default", host, b), rule("default", "dr", host,
                new TrafficPolicy(null, new ConnectionPoolSettings(null, upgrade), null, tls, null, null, null, null))));
        h.route(dest(host), null, RetryPolicy.NONE);
        assertEquals("HTTP_2 true", version(h1));

        // without the upgrade the same origination stays on HTTP/1.1
        h.apply(snapshot(staticService("default", host, b), rule("default", "dr", host,
                new TrafficPolicy(null, null, null, tls, null, null, null, null))));
        assertEquals("HTTP_1_1 true", version(h1));
    }

    private record Spread(int connections, int maxStreamsOnOne) {
    }

    /**
     * One quick request (so an upstream connection with known stream capacity exists), then n concurrent slow
     * requests over one HTTP/2 downstream connection; counts at the backend, then releases them.
     */
    private Spread concurrentSlowRequests(int n, TrafficPolicy policy) {
        ConcurrentLinkedQueue<HttpServerRequest> held = new ConcurrentLinkedQueue<>();
        Map<HttpConnection, int[]> perConnection = new IdentityHashMap<>();
        AtomicInteger maxOnOne = new AtomicInteger();
        int b = h.backend(req -> {
            if (req.path().equals("/warm")) {
                req.response().end("HTTP_2");
                return;
            }
            // the backend's handlers all run on its one event loop: the plain map is only touched there
            int[] c = perConnection.computeIfAbsent(req.connection(), k -> new int[1]);
            maxOnOne.accumulateAndGet(++c[0], Math::max);
            req.response().endHandler(v -> c[0]--);
            held.add(req);
        });
        serve(staticService("default", "svc.test", port(80, "http2", Protocol.HTTP2), b), policy);
        assertEquals("HTTP_2", await(h.onLoop(() -> h2.request(new RequestOptions().setURI("/warm"))
                .compose(req -> req.send()).compose(resp -> resp.body()).map(Buffer::toString))));
        List<Future<String>> replies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            replies.add(h.onLoop(() -> h2.request(new RequestOptions().setURI("/slow")).compose(req -> req.send())
                    .compose(resp -> resp.body()).map(Buffer::toString)));
        }
        eventually(() -> held.size() == n, "all " + n + " requests at the backend at once");
        Spread spread = new Spread(countConnections(held), maxOnOne.get());
        for (HttpServerRequest r : held) {
            r.response().end(r.version().name());
        }
        for (Future<String> f : replies) {
            assertEquals("HTTP_2", await(f));
        }
        return spread;
    }

    @Test
    void maxConcurrentStreamsSpreadsStreamsOverMoreConnections() {
        int n = 10;
        int limit = 2;
        Spread s = concurrentSlowRequests(n, http(H2UpgradePolicy.DEFAULT, false, limit));
        assertTrue(s.connections() >= (n + limit - 1) / limit, "at least ceil(n/limit) connections: " + s);
        assertTrue(s.maxStreamsOnOne() <= limit, "never more than " + limit + " streams on one connection: " + s);
    }

    @Test
    void withoutMaxConcurrentStreamsAConnectionCarriesMoreStreams() {
        // the contrast: without the limit the warm connection takes the whole burst
        Spread s = concurrentSlowRequests(10, null);
        assertTrue(s.connections() < 5, "connections: " + s);
        assertTrue(s.maxStreamsOnOne() > 2, "streams on one connection: " + s);
    }

    private static int countConnections(Iterable<HttpServerRequest> reqs) {
        Map<HttpConnection, Boolean> seen = new IdentityHashMap<>();
        for (HttpServerRequest r : reqs) {
            seen.put(r.connection(), true);
        }
        return seen.size();
    }
}

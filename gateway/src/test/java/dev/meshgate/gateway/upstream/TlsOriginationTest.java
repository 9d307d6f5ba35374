package dev.meshgate.gateway.upstream;

import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import dev.meshgate.config.model.networking.ClientTLSSettings;
import dev.meshgate.config.model.networking.ClientTLSSettings.TLSmode;
import dev.meshgate.config.model.networking.TrafficPolicy;
import dev.meshgate.gateway.exchange.ResponseFlag;
import dev.meshgate.gateway.route.RetryPolicy;
import dev.meshgate.gateway.upstream.forward.ForwardOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import static dev.meshgate.gateway.upstream.Fixtures.dest;
import static dev.meshgate.gateway.upstream.Fixtures.rule;
import static dev.meshgate.gateway.upstream.Fixtures.snapshot;
import static dev.meshgate.gateway.upstream.Fixtures.staticService;
import static dev.meshgate.gateway.upstream.Harness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plain HTTP in, HTTPS out (DestinationRule tls SIMPLE / MUTUAL) to a real BoringSSL backend on 127.0.0.1. */
class TlsOriginationTest {

    private static final String HOST = "api.external.test";

    @TempDir
    static Path dir;
    static CertificateAuthority serverCa;
    static CertificateAuthority clientCa;
    static Path caFile;
    static Path clientCert;
    static Path clientKey;
    static IssuedCertificate serverLeaf;

    private Harness h;
    private HttpClient client;
    private final ConcurrentLinkedQueue<String> seenSni = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> seenClientCert = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void pki() throws Exception {
        serverCa = CertificateAuthority.create("origination server root");
        clientCa = CertificateAuthority.create("origination client root");
        serverLeaf = serverCa.issue(LeafSpec.forDns(HOST).withUris("spiffe://external/api"));
        IssuedCertificate gatewayClient = clientCa.issue(LeafSpec.forDns("egress.gateway.test"));
        caFile = Files.writeString(dir.resolve("server-ca.pem"), serverCa.certificatePem());
        clientCert = Files.writeString(dir.resolve("client.pem"), gatewayClient.certificatePem());
        clientKey = Files.writeString(dir.resolve("client.key"), gatewayClient.privateKeyPem());
        // credentialName layout: <dir>/<namespace>/<name>/{tls.crt,tls.key,ca.crt}
        Path cred = Files.createDirectories(dir.resolve("creds/istio-system/api-client"));
        Files.writeString(cred.resolve("tls.crt"), gatewayClient.certificatePem());
        Files.writeString(cred.resolve("tls.key"), gatewayClient.privateKeyPem());
        Files.writeString(cred.resolve("ca.crt"), serverCa.certificatePem());
    }

    private void start(boolean withCredentialsDir) {
        h = new Harness(ForwardOptions.DEFAULT, withCredentialsDir ? dir.resolve("creds") : null);
        client = h.client();
        h.authority = HOST;
    }

    @AfterEach
    void close() {
        h.close();
    }

    private int tlsBackend(boolean requireClientCert) {
        HttpServerOptions o = new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true).setSni(true)
                .setSslEngineOptions(new OpenSSLEngineOptions())
                .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(serverLeaf.certificatePem()))
                        .setKeyValue(Buffer.buffer(serverLeaf.privateKeyPem())));
        if (requireClientCert) {
            o.setClientAuth(ClientAuth.REQUIRED)
                    .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(clientCa.certificatePem())));
        }
        HttpServer s = h.vertx.createHttpServer(o);
        s.requestHandler(req -> {
            seenSni.add(String.valueOf(req.connection().indicatedServerName()));
            try {
                seenClientCert.add(String.valueOf(req.connection().peerCertificates().size()));
            } catch (Exception none) {
                seenClientCert.add("none");
            }
            req.response().end("secure " + req.authority().host());
        });
        return await(s.listen()).actualPort();
    }

    private record Reply(int status, String body) {
    }

    private Reply get() {
        return await(h.onLoop(() -> client.request(new RequestOptions().setURI("/get")).compose(req -> req.send())
                .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), b.toString())))));
    }

    private static TrafficPolicy tls(ClientTLSSettings t) {
        return new TrafficPolicy(null, null, null, t, null, null, null, null);
    }

    private void serve(int port, ClientTLSSettings t) {
        h.apply(snapshot(staticService("default", HOST, port), rule("default", "origination", HOST, tls(t))));
        h.route(dest(HOST), null, RetryPolicy.NONE);
    }

    @Test
    void simpleOriginationSendsTheAuthorityAsSniAndVerifiesTheHost() {
        start(false);
        int b = tlsBackend(false);
        serve(b, new ClientTLSSettings(TLSmode.SIMPLE, null, null, caFile.toString(), null, List.of(), null, null, null));
        Reply r = get();
        assertEquals(200, r.status());
        assertEquals("secure " + HOST, r.body());
        assertEquals(HOST, seenSni.poll());
        assertEquals("none", seenClientCert.poll());
    }

    @Test
    void explicitSniIsSentAndAMismatchingHostNameFailsVerification() {
        start(false);
        int b = tlsBackend(false);
        serve(b, new ClientTLSSettings(TLSmode.SIMPLE, null, null, caFile.toString(), null, List.of(),
                "other.external.test", null, null));
        Reply r = get();
        // the certificate names api.external.test, not the SNI other.external.test: the handshake is refused
        assertEquals(503, r.status());
        assertTrue(h.lastExchange().flags().contains(ResponseFlag.UF));
        assertTrue(seenSni.isEmpty(), "no request reached the backend");
    }

    @Test
    void subjectAltNamesOverrideHostVerification() {
        start(false);
        int b = tlsBackend(false);
        serve(b, new ClientTLSSettings(TLSmode.SIMPLE, null, null, caFile.toString(), null,
                List.of("spiffe://external/api"), "any.sni.test", null, null));
        assertEquals(200, get().status());
        assertEquals("any.sni.test", seenSni.poll());

        serve(b, new ClientTLSSettings(TLSmode.SIMPLE, null, null, caFile.toString(), null,
                List.of("spiffe://someone/else"), null, null, null));
        Reply refused = get();
        assertEquals(503, refused.status());
        assertTrue(h.lastExchange().flags().contains(ResponseFlag.UF));
        assertTrue(h.lastExchange().upstreamTransportFailureReason().contains("subjectAltNames"));
    }

    @Test
    void untrustedServerIsRefusedUnlessInsecureSkipVerify() {
        start(false);
        int b = tlsBackend(false);
        // no caCertificates: the default trust store does not know our test CA
        serve(b, new ClientTLSSettings(TLSmode.SIMPLE, null, null, null, null, List.of(), null, null, null));
        assertEquals(503, get().status());
        assertTrue(h.lastExchange().flags().contains(ResponseFlag.UF));

        serve(b, new ClientTLSSettings(TLSmode.SIMPLE, null, null, null, null, List.of(), null, true, null));
        assertEquals(200, get().status());
    }

    @Test
    void mutualOriginationPresentsTheClientCertificate() {
        start(false);
        int b = tlsBackend(true);
        serve(b, new ClientTLSSettings(TLSmode.MUTUAL, clientCert.toString(), clientKey.toString(),
                caFile.toString(), null, List.of(), null, null, null));
        assertEquals(200, get().status());
        assertEquals("1", seenClientCert.poll());
        assertEquals(HOST, seenSni.poll());
    }

    @Test
    void mutualOriginationWithCredentialNameFromTheCredentialsDirectory() {
        start(true);
        int b = tlsBackend(true);
        serve(b, new ClientTLSSettings(TLSmode.MUTUAL, null, null, null, "api-client", List.of(), null, null, null));
        assertEquals(200, get().status());
        assertEquals("1", seenClientCert.poll());
    }

    @Test
    void plaintextToTheTlsBackendFailsSoOriginationIsReallyUsed() {
        start(false);
        int b = tlsBackend(false);
        h.apply(snapshot(staticService("default", HOST, b)));
        h.route(dest(HOST), null, RetryPolicy.NONE);
        Reply r = get();
        assertTrue(r.status() == 503 || r.status() == 502, "plain HTTP to a TLS port fails: " + r);
        assertTrue(seenSni.isEmpty());
    }
}

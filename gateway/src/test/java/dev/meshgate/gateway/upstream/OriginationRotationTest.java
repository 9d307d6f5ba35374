package dev.meshgate.gateway.upstream;

import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import dev.meshgate.config.model.networking.ClientTLSSettings;
import dev.meshgate.config.model.networking.ClientTLSSettings.TLSmode;
import dev.meshgate.config.model.networking.TrafficPolicy;
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
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static dev.meshgate.gateway.upstream.Fixtures.dest;
import static dev.meshgate.gateway.upstream.Fixtures.rule;
import static dev.meshgate.gateway.upstream.Fixtures.snapshot;
import static dev.meshgate.gateway.upstream.Fixtures.staticService;
import static dev.meshgate.gateway.upstream.Harness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * MUTUAL origination credentials rotate without a config change: the client certificate files (or the
 * credentialName Secret directory) are rewritten, and the next new upstream connection presents the new
 * certificate to a real BoringSSL backend that requires client certificates and records their serials.
 */
class OriginationRotationTest {

    private static final String HOST = "api.external.test";

    @TempDir
    Path dir;
    static CertificateAuthority serverCa;
    static CertificateAuthority clientCa;
    static IssuedCertificate serverLeaf;

    private Harness h;
    private final ConcurrentLinkedQueue<String> seenSerials = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void pki() throws Exception {
        serverCa = CertificateAuthority.create("rotation server root");
        clientCa = CertificateAuthority.create("rotation client root");
        serverLeaf = serverCa.issue(LeafSpec.forDns(HOST));
    }

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    /** Requires a client certificate, records its serial, and closes each connection after its response. */
    private int backend() {
        HttpServerOptions o = new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
                .setSslEngineOptions(new OpenSSLEngineOptions())
                .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(serverLeaf.certificatePem()))
                        .setKeyValue(Buffer.buffer(serverLeaf.privateKeyPem())))
                .setClientAuth(ClientAuth.REQUIRED)
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(clientCa.certificatePem())));
        HttpServer s = h.vertx.createHttpServer(o);
        s.requestHandler(req -> {
            String serial;
            try {
                serial = ((X509Certificate) req.connection().peerCertificates().get(0)).getSerialNumber()
                        .toString(16);
            } catch (Exception none) {
                serial = "none";
            }
            seenSerials.add(serial);
            req.response().putHeader("connection", "close").end("ok");
        });
        return await(s.listen()).actualPort();
    }

    private int get() {
        HttpClient client = h.client();
        return await(h.onLoop(() -> client.request(new RequestOptions().setURI("/")).compose(req -> req.send())
                .compose(resp -> resp.body().map(b -> resp.statusCode()))));
    }

    private static String serial(IssuedCertificate c) throws Exception {
        return c.certificate().getSerialNumber().toString(16);
    }

    private void serve(int port, ClientTLSSettings t) {
        h.apply(snapshot(staticService("default", HOST, port),
                rule("default", "origination", HOST, new TrafficPolicy(null, null, null, t, null, null, null, null))));
        h.route(dest(HOST), null, RetryPolicy.NONE);
        h.authority = HOST;
    }

    private static void write(Path cert, Path key, IssuedCertificate c) throws Exception {
        // the key first: a poll between the two writes sees a mismatched pair, which is refused and retried
        Files.writeString(key, c.privateKeyPem());
        Files.writeString(cert, c.certificatePem());
    }

    @Test
    void rotatedClientCertificateFilesArePresentedOnTheNextNewConnection() throws Exception {
        Path cert = dir.resolve("client.pem");
        Path key = dir.resolve("client.key");
        Path ca = Files.writeString(dir.resolve("server-ca.pem"), serverCa.certificatePem());
        IssuedCertificate first = clientCa.issue(LeafSpec.forDns("egress.gateway.test"));
        IssuedCertificate second = clientCa.issue(LeafSpec.forDns("egress.gateway.test"));
        assertNotEquals(serial(first), serial(second));
        write(cert, key, first);
        h = new Harness(ForwardOptions.DEFAULT);
        serve(backend(), new ClientTLSSettings(TLSmode.MUTUAL, cert.toString(), key.toString(), ca.toString(), null,
                List.of(), null, null, null));

        assertEquals(200, get());
        assertEquals(serial(first), seenSerials.poll());

        write(cert, key, second);
        await(h.manager.originationKeys().pollNow());
        assertEquals(serial(second), h.manager.originationKeys().serialInForce(cert.toString()));
        assertEquals(200, get());
        assertEquals(serial(second), seenSerials.poll(), "the new connection presents the rotated certificate");
        assertEquals(200, get());
        assertEquals(serial(second), seenSerials.poll());
    }

    @Test
    void aRotatedCaFileOfASimpleOriginationVerifiesTheNextNewConnection() throws Exception {
        h = new Harness(ForwardOptions.DEFAULT);
        // the backend's certificate is issued by a CA the gateway does not trust yet
        CertificateAuthority next = CertificateAuthority.create("rotation next server root");
        IssuedCertificate leaf = next.issue(LeafSpec.forDns(HOST));
        HttpServer s = h.vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
                .setSslEngineOptions(new OpenSSLEngineOptions())
                .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(leaf.certificatePem()))
                        .setKeyValue(Buffer.buffer(leaf.privateKeyPem()))));
        s.requestHandler(req -> req.response().end("ok"));
        int port = await(s.listen()).actualPort();
        Path ca = Files.writeString(dir.resolve("ca.pem"), serverCa.certificatePem());
        serve(port, new ClientTLSSettings(TLSmode.SIMPLE, null, null, ca.toString(), null, List.of(), null, null,
                null));
        assertEquals(503, get(), "not trusted yet");

        Files.writeString(ca, next.certificatePem());
        await(h.manager.originationKeys().pollNow());
        assertEquals(200, get(), "the rotated CA file is used without a config change");
    }

    @Test
    void rotatedCredentialNameSecretIsPresentedOnTheNextNewConnection() throws Exception {
        Path secret = Files.createDirectories(dir.resolve("creds/istio-system/api-client"));
        Files.writeString(secret.resolve("ca.crt"), serverCa.certificatePem());
        IssuedCertificate first = clientCa.issue(LeafSpec.forDns("egress.gateway.test"));
        IssuedCertificate second = clientCa.issue(LeafSpec.forDns("egress.gateway.test"));
        write(secret.resolve("tls.crt"), secret.resolve("tls.key"), first);
        h = new Harness(ForwardOptions.DEFAULT, dir.resolve("creds"));
        serve(backend(), new ClientTLSSettings(TLSmode.MUTUAL, null, null, null, "api-client", List.of(), null,
                null, null));

        assertEquals(200, get());
        assertEquals(serial(first), seenSerials.poll());

        write(secret.resolve("tls.crt"), secret.resolve("tls.key"), second);
        await(h.manager.originationKeys().pollNow());
        assertEquals(200, get());
        assertEquals(serial(second), seenSerials.poll());
    }
}

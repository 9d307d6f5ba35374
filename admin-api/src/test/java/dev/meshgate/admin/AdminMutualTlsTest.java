package dev.meshgate.admin;

import dev.meshgate.admin.auth.CertRoles;
import dev.meshgate.admin.auth.Role;
import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminMutualTlsTest {

    private static final String OPS = "spiffe://cluster.local/ns/ops/sa/admin";

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final CertificateAuthority ca = CertificateAuthority.create("meshgate-test-ca");
    private AdminServer server;

    @BeforeEach
    void start() {
        IssuedCertificate serverCert = ca.issue(LeafSpec.forDns("localhost").withIps("127.0.0.1"));
        AdminOptions o = new AdminOptions().setPort(0).setAuditLog(dir.resolve("audit.log"))
                .setTls(new ServerSSLOptions()
                        .setKeyCertOptions(keyCert(serverCert))
                        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca.certificatePem()))))
                .setCertRoles(new CertRoles(Map.of(OPS, Role.EDITOR, "viewer-bot", Role.VIEWER)));
        server = Http.await(AdminServer.builder(vertx).options(o).build().start());
    }

    @AfterEach
    void stop() {
        Http.await(server.close());
        Http.await(vertx.close());
    }

    private static PemKeyCertOptions keyCert(IssuedCertificate c) {
        return new PemKeyCertOptions().setCertValue(Buffer.buffer(c.certificatePem()))
                .setKeyValue(Buffer.buffer(c.privateKeyPem()));
    }

    private Http client(IssuedCertificate clientCert) {
        HttpClientOptions o = new HttpClientOptions().setSsl(true).setVerifyHost(true)
                .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(ca.certificatePem())));
        if (clientCert != null) {
            o.setKeyCertOptions(keyCert(clientCert));
        }
        return new Http(vertx, server.port(), o);
    }

    @Test
    void aClientCertificateMappedByUriSanMayWriteAndIsAudited() throws Exception {
        try (Http http = client(ca.issue(LeafSpec.forUri(OPS)))) {
            Http.Response r = http.send(HttpMethod.POST, "/logging?logger=dev.meshgate.mtlstest&level=FINE", Map.of(), null);
            assertEquals(200, r.status(), r.body());
        }
        List<String> audit = Files.readAllLines(dir.resolve("audit.log"));
        assertEquals(1, audit.size());
        assertTrue(audit.get(0).contains("\"principal\":\"cert:" + OPS + "\""), audit.get(0));
    }

    @Test
    void aViewerCertificateMappedByCommonNameReadsButMayNotWrite() {
        try (Http http = client(ca.issue(LeafSpec.forDns("bot.example.com").withCommonName("viewer-bot")))) {
            assertEquals(200, http.get("/logging", Map.of()).status());
            Http.Response w = http.send(HttpMethod.POST, "/logging?level=FINE", Map.of(), null);
            assertEquals(403, w.status());
            assertTrue(w.json().getString("message").startsWith("cert:CN=viewer-bot has role viewer"));
        }
    }

    @Test
    void anUnmappedCertificateIs401AndNoCertificateFailsTheHandshake() {
        try (Http http = client(ca.issue(LeafSpec.forDns("stranger.example.com")))) {
            assertEquals(401, http.get("/logging", Map.of()).status());
        }
        try (Http http = client(null)) {
            assertThrows(IllegalStateException.class, () -> http.get("/logging", Map.of()));
        }
    }
}

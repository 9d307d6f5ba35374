package dev.meshgate.cert.source;

import dev.meshgate.cert.Await;
import dev.meshgate.cert.TlsCredential;
import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import dev.meshgate.cert.pem.PemCodec;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileCredentialSourceTest {

  @TempDir
  Path dir;
  Vertx vertx;
  FileCredentialSource source;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    source = new FileCredentialSource(vertx, Duration.ofHours(1));
  }

  @AfterEach
  void tearDown() {
    source.close();
    Await.result(vertx.close());
  }

  @Test
  void gatewayFilePathsWithCaAndCrlAndRotation() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("root");
    IssuedCertificate v1 = ca.issue(LeafSpec.forDns("files.example.com"));
    IssuedCertificate revoked = ca.issue(LeafSpec.forDns("revoked.example.com"));
    SecretDirs.writePlain(dir, Map.of("server.pem", v1.certificatePem(), "server-key.pem", v1.privateKeyPem(),
        "ca.pem", ca.certificatePem(),
        "crl.pem", PemCodec.crlsPem(List.of(ca.crl(List.of(revoked.certificate()), Duration.ofDays(1))))));
    CredentialFiles files = new CredentialFiles(dir.resolve("server.pem").toString(),
        dir.resolve("server-key.pem").toString(), dir.resolve("ca.pem").toString(), dir.resolve("crl.pem").toString());
    BlockingQueue<TlsCredential> changes = new LinkedBlockingQueue<>();
    source.addListener(changes::add);

    TlsCredential c = Await.result(source.load(files));
    assertEquals("file:" + dir.resolve("server.pem"), c.name());
    assertEquals(v1.certificate(), c.leaf());
    assertTrue(c.crl().orElseThrow().isRevoked(revoked.certificate()));
    assertEquals(ca.certificate(), c.ca().orElseThrow().certificates().get(0));
    assertEquals(c, Await.result(source.get("file", dir.resolve("server.pem").toString())));
    changes.clear();

    IssuedCertificate v2 = ca.issue(LeafSpec.forDns("files.example.com"));
    SecretDirs.writePlain(dir, Map.of("server.pem", v2.certificatePem(), "server-key.pem", v2.privateKeyPem()));
    Await.result(source.pollNow());
    assertEquals(v2.certificate(), changes.poll(5, TimeUnit.SECONDS).leaf());
  }

  @Test
  void missingFileIsAnErrorNamingTheFile() throws Exception {
    CredentialFiles files = CredentialFiles.of(dir.resolve("nope.pem").toString(), dir.resolve("k.pem").toString());
    Throwable e = Await.failure(source.load(files));
    assertEquals("credential file:" + dir.resolve("nope.pem") + ": " + dir.resolve("nope.pem") + ": no such file",
        e.getMessage());
    Files.writeString(dir.resolve("nope.pem"), "x");
    assertNull(source.inventory().get(0).credential());
  }
}

package dev.meshgate.cert.source;

import dev.meshgate.cert.Await;
import dev.meshgate.cert.CredentialException;
import dev.meshgate.cert.CredentialStatus;
import dev.meshgate.cert.TlsCredential;
import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import dev.meshgate.cert.pem.PemCodec;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirectoryCredentialSourceTest {

  static CertificateAuthority ca;
  static CertificateAuthority clientCa;

  @TempDir
  Path root;
  Vertx vertx;
  DirectoryCredentialSource source;
  final BlockingQueue<TlsCredential> changes = new LinkedBlockingQueue<>();

  @BeforeAll
  static void pki() {
    ca = CertificateAuthority.create("server root");
    clientCa = CertificateAuthority.create("client root");
  }

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    // the timer stays out of the way; tests drive checks with pollNow() except the one that tests the timer
    source = new DirectoryCredentialSource(vertx, root, Duration.ofHours(1));
    source.addListener(changes::add);
  }

  @AfterEach
  void tearDown() {
    source.close();
    Await.result(vertx.close());
  }

  static IssuedCertificate leaf(String host) {
    return ca.issue(LeafSpec.forDns(host));
  }

  @Test
  void tlsSecretLayoutWithCaCrt() throws Exception {
    IssuedCertificate c = leaf("bookinfo.example.com");
    SecretDirs.writePlain(root.resolve("istio-system/bookinfo-cert"), Map.of(
        "tls.crt", c.certificatePem(), "tls.key", c.privateKeyPem(), "ca.crt", clientCa.certificatePem()));
    TlsCredential cred = Await.result(source.get("istio-system", "bookinfo-cert"));
    assertEquals("istio-system/bookinfo-cert", cred.name());
    assertEquals(c.certificate(), cred.leaf());
    assertEquals(clientCa.certificate(), cred.ca().orElseThrow().certificates().get(0));
    assertTrue(cred.crl().isEmpty());
  }

  @Test
  void genericLayoutWithCacertAndCrlAndGenericKeysWinOverTlsKeys() throws Exception {
    IssuedCertificate generic = leaf("generic.example.com");
    IssuedCertificate tls = leaf("tls.example.com");
    String crl = PemCodec.crlsPem(List.of(clientCa.crl(List.of(), Duration.ofDays(1))));
    SecretDirs.writePlain(root.resolve("ns/both"), Map.of(
        "cert", generic.certificatePem(), "key", generic.privateKeyPem(),
        "tls.crt", tls.certificatePem(), "tls.key", tls.privateKeyPem(),
        "cacert", clientCa.certificatePem(), "crl", crl));
    TlsCredential cred = Await.result(source.get("ns", "both"));
    assertEquals(generic.certificate(), cred.leaf(), "Istio prefers cert/key over tls.crt/tls.key");
    assertTrue(cred.ca().isPresent());
    assertEquals(1, cred.crl().orElseThrow().crls().size());
  }

  @Test
  void companionCacertCredentialTakesPrecedence() throws Exception {
    IssuedCertificate c = leaf("mtls.example.com");
    CertificateAuthority other = CertificateAuthority.create("own ca.crt");
    SecretDirs.writePlain(root.resolve("ns/mtls"), Map.of(
        "tls.crt", c.certificatePem(), "tls.key", c.privateKeyPem(), "ca.crt", other.certificatePem()));
    SecretDirs.writePlain(root.resolve("ns/mtls-cacert"), Map.of("cacert", clientCa.certificatePem()));
    TlsCredential cred = Await.result(source.get("ns", "mtls"));
    assertEquals(clientCa.certificate(), cred.ca().orElseThrow().certificates().get(0));
    assertTrue(cred.origin().contains("mtls-cacert"), cred.origin());
  }

  @Test
  void companionWithoutCaKeyIsAnError() throws Exception {
    IssuedCertificate c = leaf("mtls.example.com");
    SecretDirs.writePlain(root.resolve("ns/mtls"), Map.of("tls.crt", c.certificatePem(), "tls.key",
        c.privateKeyPem()));
    SecretDirs.writePlain(root.resolve("ns/mtls-cacert"), Map.of("something", "x"));
    Throwable e = Await.failure(source.get("ns", "mtls"));
    assertInstanceOf(CredentialException.class, e);
    assertTrue(e.getMessage().startsWith("credential ns/mtls: found "), e.getMessage());
    assertTrue(e.getMessage().contains("expected keys cacert or ca.crt; found: something"), e.getMessage());
  }

  @Test
  void wrongKeysMissingCredentialAndPathTraversalAreClearErrors() throws Exception {
    SecretDirs.writePlain(root.resolve("ns/odd"), Map.of("server.pem", "x", "server.key", "y"));
    Throwable odd = Await.failure(source.get("ns", "odd"));
    assertTrue(odd.getMessage().contains("does not have the expected keys (cert and key) or (tls.crt and tls.key);"
        + " found: server.key, server.pem"), odd.getMessage());

    Throwable missing = Await.failure(source.get("ns", "missing"));
    assertTrue(missing.getMessage().startsWith("credential ns/missing: not found"), missing.getMessage());

    Throwable traversal = Await.failure(source.get("..", "etc"));
    assertTrue(traversal.getMessage().contains("invalid namespace '..'"), traversal.getMessage());

    SecretDirs.writePlain(root.resolve("ns/empty"), Map.of("tls.crt", "", "tls.key", ""));
    Throwable empty = Await.failure(source.get("ns", "empty"));
    assertTrue(empty.getMessage().contains("found keys \"tls.crt\" and \"tls.key\""), empty.getMessage());
  }

  @Test
  void rotationByReplacingFilesNotifiesListeners() throws Exception {
    Path dir = root.resolve("ns/web");
    IssuedCertificate v1 = leaf("web.example.com");
    SecretDirs.writePlain(dir, Map.of("tls.crt", v1.certificatePem(), "tls.key", v1.privateKeyPem()));
    assertEquals(v1.certificate(), Await.result(source.get("ns", "web")).leaf());
    assertEquals(v1.certificate(), changes.poll(5, TimeUnit.SECONDS).leaf(), "first load is announced too");

    Await.result(source.pollNow());
    assertNull(changes.poll(), "unchanged files are not a change");

    IssuedCertificate v2 = leaf("web.example.com");
    SecretDirs.writePlain(dir, Map.of("tls.crt", v2.certificatePem(), "tls.key", v2.privateKeyPem()));
    Await.result(source.pollNow());
    TlsCredential announced = changes.poll(5, TimeUnit.SECONDS);
    assertNotNull(announced);
    assertEquals(v2.certificate().getSerialNumber(), announced.leaf().getSerialNumber());
    assertEquals(v2.certificate(), Await.result(source.get("ns", "web")).leaf());
  }

  @Test
  void kubernetesSecretVolumeSymlinkSwap() throws Exception {
    Path dir = root.resolve("istio-system/gw-cert");
    IssuedCertificate v1 = leaf("gw.example.com");
    SecretDirs.writeSecretVolume(dir, "2026_01_01_00_00_00.1", Map.of(
        "tls.crt", v1.certificatePem(), "tls.key", v1.privateKeyPem(), "ca.crt", clientCa.certificatePem()));
    assertTrue(Files.isSymbolicLink(dir.resolve("tls.crt")));
    assertEquals(v1.certificate(), Await.result(source.get("istio-system", "gw-cert")).leaf());
    changes.clear();

    IssuedCertificate v2 = leaf("gw.example.com");
    SecretDirs.writeSecretVolume(dir, "2026_01_02_00_00_00.2", Map.of(
        "tls.crt", v2.certificatePem(), "tls.key", v2.privateKeyPem(), "ca.crt", clientCa.certificatePem()));
    Await.result(source.pollNow());
    TlsCredential announced = changes.poll(5, TimeUnit.SECONDS);
    assertNotNull(announced, "a ..data swap must be seen");
    assertEquals(v2.certificate().getSerialNumber(), announced.leaf().getSerialNumber());
  }

  @Test
  void brokenOrMismatchedReplacementKeepsThePreviousCredential() throws Exception {
    Path dir = root.resolve("istio-system/bookinfo-cert");
    IssuedCertificate v1 = leaf("bookinfo.example.com");
    SecretDirs.writePlain(dir, Map.of("tls.crt", v1.certificatePem(), "tls.key", v1.privateKeyPem()));
    Await.result(source.get("istio-system", "bookinfo-cert"));
    changes.clear();

    IssuedCertificate v2 = leaf("bookinfo.example.com");
    SecretDirs.writePlain(dir, Map.of("tls.crt", v2.certificatePem())); // key of v1 stays: mismatch
    Await.result(source.pollNow());
    assertNull(changes.poll(), "a rejected reload is not announced");
    assertEquals(v1.certificate(), Await.result(source.get("istio-system", "bookinfo-cert")).leaf());
    CredentialStatus status = source.inventory().get(0);
    assertEquals(v1.certificate(), status.credential().leaf());
    assertTrue(status.lastError().startsWith("credential istio-system/bookinfo-cert: private key does not match"
        + " certificate CN=bookinfo.example.com"), status.lastError());

    SecretDirs.writePlain(dir, Map.of("tls.crt", "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n"));
    Await.result(source.pollNow());
    assertNull(changes.poll());
    assertTrue(source.inventory().get(0).lastError().contains("tls.crt"), source.inventory().get(0).lastError());

    SecretDirs.writePlain(dir, Map.of("tls.crt", v2.certificatePem(), "tls.key", v2.privateKeyPem()));
    Await.result(source.pollNow());
    assertEquals(v2.certificate(), changes.poll(5, TimeUnit.SECONDS).leaf());
    assertNull(source.inventory().get(0).lastError());
  }

  @Test
  void credentialCreatedAfterTheFirstRequestIsPickedUp() throws Exception {
    Throwable e = Await.failure(source.get("ns", "later"));
    assertTrue(e.getMessage().contains("not found"));
    assertEquals("credential ns/later: not found (no directory " + root.resolve("ns/later") + ")",
        source.inventory().get(0).lastError());

    IssuedCertificate c = leaf("later.example.com");
    SecretDirs.writeSecretVolume(root.resolve("ns/later"), "v1", Map.of("cert", c.certificatePem(), "key",
        c.privateKeyPem()));
    Await.result(source.pollNow());
    assertEquals(c.certificate(), changes.poll(5, TimeUnit.SECONDS).leaf());
    assertEquals(c.certificate(), Await.result(source.get("ns", "later")).leaf());
  }

  @Test
  void theTimerPicksUpChangesWithoutHelp() throws Exception {
    DirectoryCredentialSource fast = new DirectoryCredentialSource(vertx, root, Duration.ofMillis(50));
    BlockingQueue<TlsCredential> seen = new LinkedBlockingQueue<>();
    fast.addListener(seen::add);
    try {
      Path dir = root.resolve("ns/timer");
      IssuedCertificate v1 = leaf("timer.example.com");
      SecretDirs.writePlain(dir, Map.of("tls.crt", v1.certificatePem(), "tls.key", v1.privateKeyPem()));
      Await.result(fast.get("ns", "timer"));
      assertEquals(v1.certificate(), seen.poll(5, TimeUnit.SECONDS).leaf());
      IssuedCertificate v2 = leaf("timer.example.com");
      SecretDirs.writePlain(dir, Map.of("tls.crt", v2.certificatePem(), "tls.key", v2.privateKeyPem()));
      TlsCredential next = seen.poll(10, TimeUnit.SECONDS);
      assertNotNull(next, "the periodic check should have reloaded the credential");
      assertEquals(v2.certificate(), next.leaf());
    } finally {
      fast.close();
    }
  }

  @Test
  void inventoryListsEveryCredentialWithExpiry() throws Exception {
    IssuedCertificate a = leaf("a.example.com");
    SecretDirs.writePlain(root.resolve("ns/a"), Map.of("tls.crt", a.certificatePem(), "tls.key", a.privateKeyPem()));
    Await.result(source.get("ns", "a"));
    Await.failure(source.get("ns", "b"));
    List<CredentialStatus> inv = source.inventory();
    assertEquals(List.of("ns/a", "ns/b"), inv.stream().map(CredentialStatus::name).toList());
    assertEquals(a.certificate().getNotAfter().toInstant(), inv.get(0).notAfter());
    assertEquals(List.of("DNS:a.example.com"), inv.get(0).sans());
    assertTrue(inv.get(0).serving());
    assertTrue(!inv.get(1).serving());
    assertNotNull(inv.get(1).lastError());
  }
}

package dev.meshgate.gateway.tls;

import dev.meshgate.cert.CredentialStatus;
import dev.meshgate.cert.TlsCredential;
import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import dev.meshgate.cert.source.DirectoryCredentialSource;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Certificates change on disk; a real HTTPS server picks them up through the credential source and
 * {@code updateSSLOptions}; real handshakes see the served serial.
 */
class TlsRotationTest {

  @TempDir
  Path root;
  Vertx vertx;
  DirectoryCredentialSource source;
  CertificateAuthority ca;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    // checks are driven by pollNow() so the test waits on events, not on time
    source = new DirectoryCredentialSource(vertx, root, Duration.ofHours(1));
    ca = CertificateAuthority.create("rotation root");
  }

  @AfterEach
  void tearDown() {
    source.close();
    TlsTestSupport.await(vertx.close());
  }

  BigInteger servedSerial(int port) throws Exception {
    return new TlsTestClient().sni("bookinfo.example.com").servedCertificate(port).getSerialNumber();
  }

  @Test
  void replacedFilesSymlinkSwapAndABadReplacement() throws Exception {
    Path dir = root.resolve("istio-system/bookinfo-cert");
    IssuedCertificate v1 = ca.issue(LeafSpec.forDns("bookinfo.example.com"));
    writePlain(dir, Map.of("tls.crt", v1.certificatePem(), "tls.key", v1.privateKeyPem()));
    TlsCredential cred = TlsTestSupport.await(source.get("istio-system", "bookinfo-cert"));

    ServerTlsFactory factory = ServerTlsFactory.withDetectedEngine();
    ServerTlsConfig config = factory.build(ServerTlsSettings.of("test",
        new SniServer(List.of("bookinfo.example.com"), TlsMode.SIMPLE, cred)));
    HttpServer server = TlsTestSupport.start(vertx, config);
    TlsServerRotation rotation = new TlsServerRotation(server, factory, config);
    rotation.follow(source);
    int port = server.actualPort();
    assertEquals(v1.certificate().getSerialNumber(), servedSerial(port));

    // a connection opened before the rotation keeps working afterwards
    try (SSLSocket early = new TlsTestClient().sni("bookinfo.example.com").connect(port)) {
      assertEquals("HTTP/1.1 200 OK ok bookinfo.example.com", TlsTestClient.request(early, "/before"));

      // 1. files replaced in place
      IssuedCertificate v2 = ca.issue(LeafSpec.forDns("bookinfo.example.com"));
      writePlain(dir, Map.of("tls.crt", v2.certificatePem(), "tls.key", v2.privateKeyPem()));
      TlsTestSupport.await(source.pollNow());
      TlsTestSupport.await(rotation.settled());
      assertEquals(v2.certificate().getSerialNumber(), servedSerial(port));

      assertEquals("HTTP/1.1 200 OK ok bookinfo.example.com", TlsTestClient.request(early, "/after"));
      assertEquals(v1.certificate(), early.getSession().getPeerCertificates()[0]);
    }

    // 2. the directory becomes a Secret volume and the ..data symlink is swapped
    deleteTree(dir);
    IssuedCertificate v3 = ca.issue(LeafSpec.forDns("bookinfo.example.com"));
    writeSecretVolume(dir, "2026_11_26_01", Map.of("tls.crt", v3.certificatePem(), "tls.key", v3.privateKeyPem()));
    TlsTestSupport.await(source.pollNow());
    TlsTestSupport.await(rotation.settled());
    assertEquals(v3.certificate().getSerialNumber(), servedSerial(port));

    IssuedCertificate v4 = ca.issue(LeafSpec.forDns("bookinfo.example.com"));
    writeSecretVolume(dir, "2026_11_26_02", Map.of("tls.crt", v4.certificatePem(), "tls.key", v4.privateKeyPem()));
    TlsTestSupport.await(source.pollNow());
    TlsTestSupport.await(rotation.settled());
    assertEquals(v4.certificate().getSerialNumber(), servedSerial(port));

    // 3. a swap to a mismatched pair is refused; v4 keeps being served
    IssuedCertificate v5 = ca.issue(LeafSpec.forDns("bookinfo.example.com"));
    IssuedCertificate other = ca.issue(LeafSpec.forDns("other.example.com"));
    writeSecretVolume(dir, "2026_11_26_03", Map.of("tls.crt", v5.certificatePem(), "tls.key", other.privateKeyPem()));
    TlsTestSupport.await(source.pollNow());
    TlsTestSupport.await(rotation.settled());
    CredentialStatus status = source.inventory().get(0);
    assertTrue(status.lastError() != null && status.lastError().startsWith(
        "credential istio-system/bookinfo-cert: private key does not match certificate CN=bookinfo.example.com"),
        String.valueOf(status.lastError()));
    assertEquals(v4.certificate().getSerialNumber(), servedSerial(port));
    assertEquals(v4.certificate(), rotation.current().settings().servers().get(0).credential().leaf());

    // 4. and a garbage certificate too
    writeSecretVolume(dir, "2026_11_26_04", Map.of("tls.crt", "not a certificate", "tls.key", v5.privateKeyPem()));
    TlsTestSupport.await(source.pollNow());
    TlsTestSupport.await(rotation.settled());
    assertEquals(v4.certificate().getSerialNumber(), servedSerial(port));
  }

  static void writePlain(Path dir, Map<String, String> keys) throws Exception {
    Files.createDirectories(dir);
    for (var e : keys.entrySet()) {
      Path tmp = dir.resolve("." + e.getKey() + ".tmp");
      Files.writeString(tmp, e.getValue());
      Files.move(tmp, dir.resolve(e.getKey()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** Kubelet's layout: {@code ..<version>/} holds the data, {@code ..data} points at it, keys link through it. */
  static void writeSecretVolume(Path dir, String version, Map<String, String> keys) throws Exception {
    Files.createDirectories(dir);
    Path data = dir.resolve(".." + version);
    Files.createDirectories(data);
    for (var e : keys.entrySet()) {
      Files.writeString(data.resolve(e.getKey()), e.getValue());
    }
    Path tmpLink = dir.resolve("..data_tmp");
    Files.deleteIfExists(tmpLink);
    Files.createSymbolicLink(tmpLink, data.getFileName());
    Files.move(tmpLink, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    for (String key : keys.keySet()) {
      Path link = dir.resolve(key);
      if (!Files.isSymbolicLink(link)) {
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of("..data").resolve(key));
      }
    }
  }

  static void deleteTree(Path dir) throws Exception {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

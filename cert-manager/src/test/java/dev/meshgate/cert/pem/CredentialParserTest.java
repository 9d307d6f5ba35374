package dev.meshgate.cert.pem;

import dev.meshgate.cert.CredentialException;
import dev.meshgate.cert.TestPem;
import dev.meshgate.cert.TlsCredential;
import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.KeyType;
import dev.meshgate.cert.ca.LeafSpec;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CredentialParserTest {

  static final String NAME = "istio-system/bookinfo-cert";
  static CertificateAuthority ca;
  static Vertx vertx;
  final CredentialParser parser = new CredentialParser();

  @BeforeAll
  static void setUp() {
    ca = CertificateAuthority.create("test root");
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void tearDown() {
    vertx.close();
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void everyKeyFormIsNormalisedToPkcs8AndAcceptedByVertx(KeyType type) throws Exception {
    IssuedCertificate leaf = ca.issue(LeafSpec.forDns("bookinfo.example.com").withKeyType(type));
    String traditional = TestPem.traditional(leaf.privateKey());
    String expectedHeader = type == KeyType.RSA_2048 ? "-----BEGIN RSA PRIVATE KEY-----" : "-----BEGIN EC PRIVATE KEY-----";
    assertTrue(traditional.startsWith(expectedHeader), traditional.lines().findFirst().orElse(""));

    for (String keyPem : List.of(traditional, TestPem.pkcs8(leaf.privateKey()))) {
      TlsCredential c = parser.parse(NAME, "test", pem("tls.crt", leaf.certificatePem()), pem("tls.key", keyPem),
          null, null);
      String normalised = c.privateKeyPem().toString(StandardCharsets.US_ASCII);
      assertTrue(normalised.startsWith("-----BEGIN PRIVATE KEY-----"), normalised);
      assertTrue(KeyPairCheck.matches(PemCodec.privateKey(pem("again", normalised)), leaf.certificate().getPublicKey()));
      // Vert.x itself must accept what we produce (it rejects SEC1: stack.md)
      KeyManagerFactory kmf = c.toKeyCertOptions().getKeyManagerFactory(vertx);
      X509KeyManager km = (X509KeyManager) kmf.getKeyManagers()[0];
      assertNotNull(km);
    }
  }

  @Test
  void sec1KeyWithEcParametersBlockAsWrittenByOpensslEcparam() {
    IssuedCertificate leaf = ca.issue(LeafSpec.forDns("a.example.com"));
    String withParams = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
        + TestPem.traditional(leaf.privateKey());
    TlsCredential c = parser.parse(NAME, "t", pem("tls.crt", leaf.certificatePem()), pem("tls.key", withParams),
        null, null);
    assertEquals(leaf.certificate(), c.leaf());
  }

  @Test
  void curvelessSec1AsJcaPemWriterWritesItIsAClearErrorHereAndRejectedByVertx() {
    // stack.md's gotcha: JcaPEMWriter turns a JDK EC key into SEC1 without the curve parameters. Vert.x rejects
    // that; we cannot recover the curve either, so the message must say what is wrong.
    IssuedCertificate leaf = ca.issue(LeafSpec.forDns("a.example.com"));
    String curveless = TestPem.bcWriterOutput(leaf.privateKey());
    assertTrue(curveless.startsWith("-----BEGIN EC PRIVATE KEY-----"));
    PemKeyCertOptions raw = new PemKeyCertOptions()
        .addKeyValue(io.vertx.core.buffer.Buffer.buffer(curveless))
        .addCertValue(io.vertx.core.buffer.Buffer.buffer(leaf.certificatePem()));
    assertThrows(Exception.class, () -> raw.getKeyManagerFactory(vertx));
    CredentialException e = assertThrows(CredentialException.class, () -> parser.parse(NAME, "t",
        pem("tls.crt", leaf.certificatePem()), pem("tls.key", curveless), null, null));
    assertTrue(e.getMessage().startsWith("credential " + NAME + ": tls.key: unsupported or corrupt private key"),
        e.getMessage());
  }

  @Test
  void chainAndMetadata() throws Exception {
    IssuedCertificate leaf = ca.issue(LeafSpec.forDns("bookinfo.example.com", "*.bookinfo.example.com")
        .withIps("127.0.0.1").withUris("spiffe://cluster.local/ns/istio-system/sa/gw"));
    String chain = leaf.certificatePem() + leaf.issuerPem();
    TlsCredential c = parser.parse(NAME, "t", pem("tls.crt", chain), pem("tls.key", leaf.privateKeyPem()),
        pem("ca.crt", ca.certificatePem()), null);
    assertEquals(2, c.chain().size());
    assertEquals(leaf.certificate(), c.leaf());
    assertEquals(List.of("bookinfo.example.com", "*.bookinfo.example.com"), c.sans().dns());
    assertEquals(List.of("127.0.0.1"), c.sans().ips());
    assertEquals(List.of("spiffe://cluster.local/ns/istio-system/sa/gw"), c.sans().uris());
    assertEquals(leaf.certificate().getNotAfter().toInstant(), c.notAfter());
    assertEquals(leaf.certificate().getNotBefore().toInstant(), c.notBefore());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    assertEquals(HexFormat.of().formatHex(sha.digest(leaf.certificate().getEncoded())), c.sha256());
    assertEquals(Base64.getEncoder().encodeToString(sha.digest(leaf.certificate().getPublicKey().getEncoded())),
        c.spkiSha256());
    assertTrue(c.ca().isPresent());
    assertEquals(ca.certificate(), c.ca().get().certificates().get(0));
    assertTrue(c.warnings().isEmpty());
    assertFalse(c.toString().contains("PRIVATE"), "toString must not leak the key");
  }

  @Test
  void mismatchedKeyNamesCredentialAndSubject() {
    IssuedCertificate a = ca.issue(LeafSpec.forDns("bookinfo.example.com"));
    IssuedCertificate b = ca.issue(LeafSpec.forDns("other.example.com"));
    CredentialException e = assertThrows(CredentialException.class, () -> parser.parse(NAME, "t",
        pem("tls.crt", a.certificatePem()), pem("tls.key", b.privateKeyPem()), null, null));
    assertTrue(e.getMessage().startsWith(
        "credential istio-system/bookinfo-cert: private key does not match certificate CN=bookinfo.example.com"),
        e.getMessage());
    assertEquals(NAME, e.credential());
  }

  @Test
  void rsaKeyWithEcCertificateIsAMismatch() {
    IssuedCertificate ec = ca.issue(LeafSpec.forDns("ec.example.com"));
    IssuedCertificate rsa = ca.issue(LeafSpec.forDns("rsa.example.com").withKeyType(KeyType.RSA_2048));
    CredentialException e = assertThrows(CredentialException.class, () -> parser.parse(NAME, "t",
        pem("tls.crt", ec.certificatePem()), pem("tls.key", TestPem.traditional(rsa.privateKey())), null, null));
    assertTrue(e.getMessage().contains("private key does not match certificate CN=ec.example.com"), e.getMessage());
  }

  @Test
  void encryptedKeysAreClearErrors() {
    IssuedCertificate leaf = ca.issue(LeafSpec.forDns("a.example.com").withKeyType(KeyType.RSA_2048));
    for (String enc : List.of(TestPem.legacyEncrypted(leaf.privateKey()), TestPem.pkcs8Encrypted(leaf.privateKey()))) {
      CredentialException e = assertThrows(CredentialException.class, () -> parser.parse(NAME, "t",
          pem("tls.crt", leaf.certificatePem()), pem("/etc/certs/tls.key", enc), null, null));
      assertTrue(e.getMessage().startsWith("credential " + NAME + ": /etc/certs/tls.key: the private key is encrypted"),
          e.getMessage());
    }
  }

  @Test
  void brokenFilesNameCredentialAndFile() {
    IssuedCertificate leaf = ca.issue(LeafSpec.forDns("a.example.com"));
    String truncated = leaf.certificatePem().substring(0, leaf.certificatePem().length() / 2)
        + "\n-----END CERTIFICATE-----\n";
    List<String[]> cases = List.of(
        new String[] {truncated, leaf.privateKeyPem(), "tls.crt: "},
        new String[] {"", leaf.privateKeyPem(), "tls.crt: file is empty"},
        new String[] {"hello", leaf.privateKeyPem(), "tls.crt: no PEM block found"},
        new String[] {leaf.privateKeyPem(), leaf.privateKeyPem(), "tls.crt: contains a private key"},
        new String[] {leaf.certificatePem(), leaf.certificatePem(), "tls.key: no PEM private key found"},
        new String[] {leaf.certificatePem(), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
            "tls.key: "});
    for (String[] c : cases) {
      CredentialException e = assertThrows(CredentialException.class,
          () -> parser.parse(NAME, "t", pem("tls.crt", c[0]), pem("tls.key", c[1]), null, null), c[2]);
      assertTrue(e.getMessage().startsWith("credential " + NAME + ": " + c[2]), e.getMessage());
    }
  }

  @Test
  void expiredAndNotYetValidCertificatesLoadWithAWarning() {
    Instant now = Instant.now();
    IssuedCertificate expired = ca.issue(LeafSpec.forDns("old.example.com")
        .withValidity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))));
    IssuedCertificate future = ca.issue(LeafSpec.forDns("new.example.com")
        .withValidity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(10))));
    TlsCredential old = parser.parse(NAME, "t", pem("tls.crt", expired.certificatePem()),
        pem("tls.key", expired.privateKeyPem()), null, null);
    assertEquals(1, old.warnings().size());
    assertTrue(old.warnings().get(0).contains("expired"), old.warnings().toString());
    assertFalse(old.isValidAt(now));
    TlsCredential early = parser.parse(NAME, "t", pem("tls.crt", future.certificatePem()),
        pem("tls.key", future.privateKeyPem()), null, null);
    assertTrue(early.warnings().get(0).contains("not valid before"), early.warnings().toString());
  }

  @Test
  void caBundleAndCrl() {
    IssuedCertificate leaf = ca.issue(LeafSpec.forDns("a.example.com"));
    IssuedCertificate revoked = ca.issue(LeafSpec.forDns("revoked.example.com"));
    CertificateAuthority other = CertificateAuthority.create("other root");
    String bundle = ca.certificatePem() + other.certificatePem();
    String crlPem = PemCodec.crlsPem(List.of(ca.crl(List.of(revoked.certificate()), Duration.ofDays(1))));
    TlsCredential c = parser.parse(NAME, "t", pem("cert", leaf.certificatePem()), pem("key", leaf.privateKeyPem()),
        pem("cacert", bundle), pem("crl", crlPem));
    assertEquals(2, c.ca().orElseThrow().certificates().size());
    assertTrue(c.crl().orElseThrow().isRevoked(revoked.certificate()));
    assertFalse(c.crl().orElseThrow().isRevoked(leaf.certificate()));

    CredentialException e = assertThrows(CredentialException.class, () -> parser.parse(NAME, "t",
        pem("cert", leaf.certificatePem()), pem("key", leaf.privateKeyPem()), pem("cacert", bundle),
        pem("crl", ca.certificatePem())));
    assertTrue(e.getMessage().startsWith("credential " + NAME + ": crl: no PEM CRL found"), e.getMessage());
  }

  private static PemInput pem(String label, String text) {
    return new PemInput(label, text.getBytes(StandardCharsets.US_ASCII));
  }
}

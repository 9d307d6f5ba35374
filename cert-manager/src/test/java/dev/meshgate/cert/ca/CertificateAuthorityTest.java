package dev.meshgate.cert.ca;

import dev.meshgate.cert.SubjectAltNames;
import dev.meshgate.cert.pem.KeyPairCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CertificateAuthorityTest {

  @Test
  void rootIsSelfSignedEcP256Ca() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("meshgate test root");
    X509Certificate root = ca.certificate();
    root.verify(root.getPublicKey());
    assertEquals("EC", root.getPublicKey().getAlgorithm());
    assertTrue(root.getBasicConstraints() >= 0, "basicConstraints CA:true");
    assertEquals(root.getSubjectX500Principal(), root.getIssuerX500Principal());
    assertTrue(root.getSubjectX500Principal().getName().contains("CN=meshgate test root"));
  }

  @Test
  void issuesLeafWithDnsIpAndSpiffeSansThatValidatesAgainstTheRoot() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("root");
    IssuedCertificate leaf = ca.issue(LeafSpec.forDns("httpbin.example.com", "*.example.com")
        .withIps("127.0.0.1", "::1")
        .withUris("spiffe://cluster.local/ns/default/sa/httpbin")
        .withLifetime(Duration.ofHours(2)));
    X509Certificate cert = leaf.certificate();
    SubjectAltNames sans = SubjectAltNames.of(cert);
    assertEquals(List.of("httpbin.example.com", "*.example.com"), sans.dns());
    assertEquals(List.of("127.0.0.1", "0:0:0:0:0:0:0:1"), sans.ips());
    assertEquals(List.of("spiffe://cluster.local/ns/default/sa/httpbin"), sans.uris());
    assertEquals(Duration.ofHours(2).toMillis(), cert.getNotAfter().getTime() - cert.getNotBefore().getTime());
    assertEquals(-1, cert.getBasicConstraints());
    assertTrue(cert.getExtendedKeyUsage().containsAll(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")));
    assertTrue(KeyPairCheck.matches(leaf.privateKey(), cert.getPublicKey()));
    assertTrue(leaf.privateKeyPem().startsWith("-----BEGIN PRIVATE KEY-----"));
    pkixValidate(ca.certificate(), cert);

    CertificateAuthority other = CertificateAuthority.create("other");
    assertThrows(CertPathValidatorException.class, () -> pkixValidate(other.certificate(), cert));
  }

  @Test
  void rsaLeavesAndDistinctSerials() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("root");
    IssuedCertificate a = ca.issue(LeafSpec.forDns("a.example.com").withKeyType(KeyType.RSA_2048));
    IssuedCertificate b = ca.issue(LeafSpec.forDns("a.example.com"));
    assertEquals("RSA", a.certificate().getPublicKey().getAlgorithm());
    assertNotEquals(a.certificate().getSerialNumber(), b.certificate().getSerialNumber());
    pkixValidate(ca.certificate(), a.certificate());
  }

  @Test
  void saveLoadAndLoadOrCreate(@TempDir Path dir) throws Exception {
    Path caDir = dir.resolve("ca");
    CertificateAuthority created = CertificateAuthority.loadOrCreate(caDir, "root");
    assertTrue(Files.exists(caDir.resolve("ca.crt")));
    assertTrue(Files.readString(caDir.resolve("ca.key")).startsWith("-----BEGIN PRIVATE KEY-----"));
    CertificateAuthority loaded = CertificateAuthority.loadOrCreate(caDir, "ignored");
    assertEquals(created.certificate(), loaded.certificate());
    // the loaded CA still signs certificates that chain to the saved root
    pkixValidate(created.certificate(), loaded.issue(LeafSpec.forDns("x.example.com")).certificate());

    Files.writeString(caDir.resolve("ca.key"), CertificateAuthority.create("other").issue(LeafSpec.forDns("y"))
        .privateKeyPem());
    IOException e = assertThrows(IOException.class, () -> CertificateAuthority.load(caDir));
    assertTrue(e.getMessage().contains("ca.key does not match ca.crt"), e.getMessage());
  }

  @Test
  void crlRevokesTheGivenCertificate() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("root");
    IssuedCertificate bad = ca.issue(LeafSpec.forDns("bad.example.com"));
    IssuedCertificate good = ca.issue(LeafSpec.forDns("good.example.com"));
    var crl = ca.crl(List.of(bad.certificate()), Duration.ofDays(1));
    crl.verify(ca.certificate().getPublicKey());
    assertTrue(crl.isRevoked(bad.certificate()));
    assertTrue(!crl.isRevoked(good.certificate()));
  }

  private static void pkixValidate(X509Certificate root, X509Certificate leaf) throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    params.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(List.of(leaf)), params);
  }
}

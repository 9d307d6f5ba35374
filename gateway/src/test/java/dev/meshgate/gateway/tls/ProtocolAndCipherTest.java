package dev.meshgate.gateway.tls;

import dev.meshgate.cert.TlsCredential;
import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.LeafSpec;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtocolAndCipherTest {

  Vertx vertx;
  TlsCredential cred;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    cred = TlsTestSupport.credential("ns/c", CertificateAuthority.create("r").issue(LeafSpec.forDns("c.example.com")),
        null);
  }

  @AfterEach
  void tearDown() {
    TlsTestSupport.await(vertx.close());
  }

  ServerTlsSettings settings() {
    return ServerTlsSettings.of("test", new SniServer(List.of("c.example.com"), TlsMode.SIMPLE, cred));
  }

  @Test
  void defaultsAreTls12To13WithEnvoysCiphers() {
    ServerTlsConfig c = ServerTlsFactory.withDetectedEngine().build(settings());
    assertEquals(Set.of("TLSv1.2", "TLSv1.3"), c.protocols());
    assertTrue(c.cipherSuites().contains("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
    assertTrue(c.cipherSuites().contains("TLS_AES_128_GCM_SHA256"));
    assertTrue(!c.cipherSuites().contains("TLS_RSA_WITH_AES_128_CBC_SHA"), "no CBC/non-ECDHE suites by default");
  }

  @Test
  void minimumTls13RefusesATls12Client() throws Exception {
    ServerTlsConfig c = ServerTlsFactory.withDetectedEngine().build(settings()
        .withProtocols(TlsProtocolVersion.TLSV1_3, TlsProtocolVersion.TLS_AUTO));
    int port = TlsTestSupport.start(vertx, c).actualPort();
    assertThrows(SSLException.class,
        () -> new TlsTestClient().sni("c.example.com").protocols("TLSv1.2").servedCertificate(port));
    try (SSLSocket s = new TlsTestClient().sni("c.example.com").protocols("TLSv1.3").connect(port)) {
      assertEquals("TLSv1.3", s.getSession().getProtocol());
    }
  }

  @Test
  void istioCipherNamesRestrictTls12Negotiation() throws Exception {
    ServerTlsConfig c = ServerTlsFactory.withDetectedEngine().build(settings()
        .withProtocols(TlsProtocolVersion.TLSV1_2, TlsProtocolVersion.TLSV1_2)
        .withCipherSuites(List.of("ECDHE-ECDSA-AES256-GCM-SHA384")));
    assertEquals(Set.of("TLSv1.2"), c.protocols());
    int port = TlsTestSupport.start(vertx, c).actualPort();
    try (SSLSocket s = new TlsTestClient().sni("c.example.com").connect(port)) {
      assertEquals("TLSv1.2", s.getSession().getProtocol());
      assertEquals("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", s.getSession().getCipherSuite());
    }
    assertThrows(SSLException.class, () -> new TlsTestClient().sni("c.example.com")
        .cipherSuites("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").servedCertificate(port));
  }

  @Test
  void badSettingsAreClearErrors() {
    ServerTlsFactory f = ServerTlsFactory.withDetectedEngine();
    IllegalArgumentException cipher = assertThrows(IllegalArgumentException.class,
        () -> f.build(settings().withCipherSuites(List.of("ECDHE-RSA-AES128-GCM-SHA256", "RC4-MD5"))));
    assertTrue(cipher.getMessage().startsWith("listener test: unsupported cipher suite(s) [RC4-MD5]"),
        cipher.getMessage());
    IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
        () -> f.build(settings().withProtocols(TlsProtocolVersion.TLSV1_3, TlsProtocolVersion.TLSV1_2)));
    assertTrue(range.getMessage().contains("minProtocolVersion TLSV1_3 is above maxProtocolVersion TLSV1_2"),
        range.getMessage());
    assertEquals(TlsProtocolVersion.TLSV1_2, TlsProtocolVersion.parse("tlsv1_2"));
    assertThrows(IllegalArgumentException.class, () -> TlsProtocolVersion.parse("SSLv3"));
    assertEquals(Set.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
        CipherSuites.toIana(List.of("[ECDHE-ECDSA-AES128-GCM-SHA256|ECDHE-ECDSA-CHACHA20-POLY1305]")));
  }
}

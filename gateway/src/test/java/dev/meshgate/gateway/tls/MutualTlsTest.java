package dev.meshgate.gateway.tls;

import dev.meshgate.cert.TlsCredential;
import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import dev.meshgate.cert.pem.CredentialParser;
import dev.meshgate.cert.pem.PemCodec;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static dev.meshgate.gateway.tls.TlsTestSupport.pem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MutualTlsTest {

  static CertificateAuthority serverCa;
  static CertificateAuthority clientCa;
  static IssuedCertificate serverLeaf;
  static IssuedCertificate goodClient;
  static IssuedCertificate revokedClient;
  static IssuedCertificate strangerClient;
  Vertx vertx;

  @BeforeAll
  static void pki() {
    serverCa = CertificateAuthority.create("server root");
    clientCa = CertificateAuthority.create("client root");
    serverLeaf = serverCa.issue(LeafSpec.forDns("mtls.example.com"));
    goodClient = clientCa.issue(LeafSpec.forUri("spiffe://cluster.local/ns/default/sa/sleep"));
    revokedClient = clientCa.issue(LeafSpec.forUri("spiffe://cluster.local/ns/default/sa/revoked"));
    strangerClient = CertificateAuthority.create("stranger").issue(LeafSpec.forDns("stranger"));
  }

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    TlsTestSupport.await(vertx.close());
  }

  static TlsCredential credentialWithCrl() {
    String crl = PemCodec.crlsPem(List.of(clientCa.crl(List.of(revokedClient.certificate()), Duration.ofDays(1))));
    return new CredentialParser().parse("istio-system/mtls", "test", pem("tls.crt", serverLeaf.certificatePem()),
        pem("tls.key", serverLeaf.privateKeyPem()), pem("ca.crt", clientCa.certificatePem()), pem("ca.crl", crl));
  }

  int start(TlsMode mode) {
    ServerTlsConfig config = ServerTlsFactory.withDetectedEngine().build(ServerTlsSettings.of("test",
        new SniServer(List.of("mtls.example.com"), mode, credentialWithCrl())));
    return TlsTestSupport.start(vertx, config).actualPort();
  }

  @Test
  void mutualRequiresAValidClientCertificate() throws Exception {
    int port = start(TlsMode.MUTUAL);
    TlsTestClient base = new TlsTestClient().sni("mtls.example.com");
    assertThrows(IOException.class, () -> base.get(port, "/"), "no client certificate");
    assertEquals("HTTP/1.1 200 OK ok mtls.example.com",
        new TlsTestClient().sni("mtls.example.com").clientCert(goodClient).get(port, "/"));
    assertThrows(IOException.class,
        () -> new TlsTestClient().sni("mtls.example.com").clientCert(strangerClient).get(port, "/"),
        "certificate from another CA");
    assertThrows(IOException.class,
        () -> new TlsTestClient().sni("mtls.example.com").clientCert(revokedClient).get(port, "/"),
        "certificate revoked by the CRL");
  }

  @Test
  void optionalMutualAcceptsNoCertificateButValidatesOne() throws Exception {
    int port = start(TlsMode.OPTIONAL_MUTUAL);
    assertEquals("HTTP/1.1 200 OK ok mtls.example.com",
        new TlsTestClient().sni("mtls.example.com").get(port, "/"));
    assertEquals("HTTP/1.1 200 OK ok mtls.example.com",
        new TlsTestClient().sni("mtls.example.com").clientCert(goodClient).get(port, "/"));
    assertThrows(IOException.class,
        () -> new TlsTestClient().sni("mtls.example.com").clientCert(strangerClient).get(port, "/"));
  }

  @Test
  void clientAuthPerPortAndMixedModes() {
    ServerTlsFactory f = new ServerTlsFactory(TlsEngineStatus.jdk("test"));
    TlsCredential mtls = credentialWithCrl();
    TlsCredential simple = TlsTestSupport.credential("ns/simple",
        serverCa.issue(LeafSpec.forDns("simple.example.com")), null);
    assertEquals(ClientAuth.REQUIRED, f.build(ServerTlsSettings.of("l",
        new SniServer(List.of("mtls.example.com"), TlsMode.MUTUAL, mtls))).clientAuth());
    assertEquals(ClientAuth.NONE, f.build(ServerTlsSettings.of("l",
        new SniServer(List.of("simple.example.com"), TlsMode.SIMPLE, simple))).clientAuth());
    ServerTlsConfig mixed = f.build(ServerTlsSettings.of("l",
        new SniServer(List.of("simple.example.com"), TlsMode.SIMPLE, simple),
        new SniServer(List.of("mtls.example.com"), TlsMode.MUTUAL, mtls)));
    assertEquals(ClientAuth.REQUEST, mixed.clientAuth());
    assertFalse(mixed.handshakeEnforcesMode());
    assertTrue(mixed.clientCertificateRequired("mtls.example.com"));
    assertFalse(mixed.clientCertificateRequired("simple.example.com"));
    assertFalse(mixed.clientCertificateRequired(null), "no SNI: the first (SIMPLE) server");
  }

  @Test
  void mixedPortServesSimpleHostsWithoutACertificate() throws Exception {
    TlsCredential simple = TlsTestSupport.credential("ns/simple",
        serverCa.issue(LeafSpec.forDns("simple.example.com")), null);
    ServerTlsConfig config = ServerTlsFactory.withDetectedEngine().build(ServerTlsSettings.of("l",
        new SniServer(List.of("simple.example.com"), TlsMode.SIMPLE, simple),
        new SniServer(List.of("mtls.example.com"), TlsMode.MUTUAL, credentialWithCrl())));
    int port = TlsTestSupport.start(vertx, config).actualPort();
    assertEquals("HTTP/1.1 200 OK ok simple.example.com",
        new TlsTestClient().sni("simple.example.com").get(port, "/"));
    // a stranger's certificate does not matter to a SIMPLE server, and a MUTUAL one still validates it
    assertEquals("HTTP/1.1 200 OK ok simple.example.com",
        new TlsTestClient().sni("simple.example.com").clientCert(strangerClient).get(port, "/"));
    assertThrows(IOException.class,
        () -> new TlsTestClient().sni("mtls.example.com").clientCert(strangerClient).get(port, "/"));
    assertEquals("HTTP/1.1 200 OK ok mtls.example.com",
        new TlsTestClient().sni("mtls.example.com").clientCert(goodClient).get(port, "/"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void wildcardServersWithDifferentCasValidateBySni(boolean nativeEngine) throws Exception {
    CertificateAuthority caA = CertificateAuthority.create("team a");
    CertificateAuthority caB = CertificateAuthority.create("team b");
    IssuedCertificate clientA = caA.issue(LeafSpec.forDns("client-a"));
    IssuedCertificate clientB = caB.issue(LeafSpec.forDns("client-b"));
    IssuedCertificate certA = serverCa.issue(LeafSpec.forDns("*.a.example.com"));
    IssuedCertificate certB = serverCa.issue(LeafSpec.forDns("*.b.example.com"));
    TlsEngineStatus engine = nativeEngine ? NativeTls.status() : TlsEngineStatus.jdk("test");
    ServerTlsConfig config = new ServerTlsFactory(engine).build(ServerTlsSettings.of("l",
        new SniServer(List.of("*.a.example.com"), TlsMode.MUTUAL, TlsTestSupport.credential("ns/a", certA, caA)),
        new SniServer(List.of("*.b.example.com"), TlsMode.MUTUAL, TlsTestSupport.credential("ns/b", certB, caB))));
    assertEquals(ClientAuth.REQUIRED, config.clientAuth());
    int port = TlsTestSupport.start(vertx, config).actualPort();

    assertEquals(certA.certificate(), new TlsTestClient().sni("x.a.example.com").clientCert(clientA)
        .servedCertificate(port));
    assertEquals("HTTP/1.1 200 OK ok x.a.example.com",
        new TlsTestClient().sni("x.a.example.com").clientCert(clientA).get(port, "/"));
    assertEquals("HTTP/1.1 200 OK ok y.b.example.com",
        new TlsTestClient().sni("y.b.example.com").clientCert(clientB).get(port, "/"));
    assertThrows(IOException.class,
        () -> new TlsTestClient().sni("x.a.example.com").clientCert(clientB).get(port, "/"), "team b's client on a");
    assertThrows(IOException.class,
        () -> new TlsTestClient().sni("y.b.example.com").clientCert(clientA).get(port, "/"), "team a's client on b");
    assertThrows(IOException.class, () -> new TlsTestClient().sni("y.b.example.com").get(port, "/"), "no cert");
  }

  @Test
  void mutualWithoutCaIsAClearError() {
    TlsCredential noCa = TlsTestSupport.credential("istio-system/no-ca", serverLeaf, null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerTlsFactory.withDetectedEngine().build(ServerTlsSettings.of("0.0.0.0:443",
            new SniServer(List.of("mtls.example.com"), TlsMode.MUTUAL, noCa))));
    assertTrue(e.getMessage().startsWith("listener 0.0.0.0:443: server [mtls.example.com] is MUTUAL but credential"
        + " istio-system/no-ca has no CA certificates"), e.getMessage());
  }
}

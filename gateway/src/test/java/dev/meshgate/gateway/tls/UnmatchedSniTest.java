package dev.meshgate.gateway.tls;

import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.meshgate.gateway.tls.TlsTestSupport.credential;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Missing and unmatched SNI: refused, served as a default host, or taken by a {@code *} server; both engines. */
class UnmatchedSniTest {

  Vertx vertx;
  CertificateAuthority ca = CertificateAuthority.create("unmatched root");
  IssuedCertificate a = ca.issue(LeafSpec.forDns("a.example.com"));
  IssuedCertificate b = ca.issue(LeafSpec.forDns("b.example.com"));

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    TlsTestSupport.await(vertx.close());
  }

  ServerTlsSettings settings(UnmatchedSni u, String secondHost) {
    return ServerTlsSettings.of("l",
            new SniServer(List.of("a.example.com"), TlsMode.SIMPLE, credential("ns/a", a, null)),
            new SniServer(List.of(secondHost), TlsMode.SIMPLE, credential("ns/b", b, null)))
        .withUnmatchedSni(u);
  }

  int start(String engine, ServerTlsSettings s) {
    ServerTlsConfig c = new ServerTlsFactory(ServerTlsFactorySniTest.engine(engine)).build(s);
    return TlsTestSupport.start(vertx, c).actualPort();
  }

  @ParameterizedTest
  @ValueSource(strings = {"native", "jdk"})
  void refuseFailsTheHandshake(String engine) throws Exception {
    ServerTlsSettings s = settings(UnmatchedSni.REFUSE, "b.example.com");
    int port = start(engine, s);
    assertEquals(b.certificate(), new TlsTestClient().sni("b.example.com").servedCertificate(port));
    assertThrows(Exception.class, () -> new TlsTestClient().sni("c.example.com").servedCertificate(port));
    assertThrows(Exception.class, () -> new TlsTestClient().servedCertificate(port));
    assertNull(new ServerTlsFactory(TlsEngineStatus.jdk("t")).build(s).serverFor("c.example.com"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"native", "jdk"})
  void serveAsUsesTheDefaultHostsServer(String engine) throws Exception {
    int port = start(engine, settings(UnmatchedSni.serveAs("B.example.com"), "b.example.com"));
    assertEquals(b.certificate(), new TlsTestClient().servedCertificate(port));
    assertEquals(b.certificate(), new TlsTestClient().sni("c.example.com").servedCertificate(port));
    assertEquals(a.certificate(), new TlsTestClient().sni("a.example.com").servedCertificate(port));
    // a default host no server matches: refused
    int none = start(engine, settings(UnmatchedSni.serveAs("z.example.org"), "b.example.com"));
    assertThrows(Exception.class, () -> new TlsTestClient().servedCertificate(none));
  }

  @ParameterizedTest
  @ValueSource(strings = {"native", "jdk"})
  void starServerTakesEverythingElseEvenWithoutSni(String engine) throws Exception {
    int port = start(engine, settings(UnmatchedSni.REFUSE, "*"));
    assertEquals(b.certificate(), new TlsTestClient().servedCertificate(port));
    assertEquals(b.certificate(), new TlsTestClient().sni("c.example.com").servedCertificate(port));
    assertEquals(a.certificate(), new TlsTestClient().sni("a.example.com").servedCertificate(port));
  }
}

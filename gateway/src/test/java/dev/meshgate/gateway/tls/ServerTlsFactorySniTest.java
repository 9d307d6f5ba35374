package dev.meshgate.gateway.tls;

import dev.meshgate.cert.TlsCredential;
import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.KeyType;
import dev.meshgate.cert.ca.LeafSpec;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLSocket;
import java.util.List;

import static dev.meshgate.gateway.tls.TlsTestSupport.credential;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several hosts with different certificates on one port, on both engines. */
class ServerTlsFactorySniTest {

  Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    TlsTestSupport.await(vertx.close());
  }

  static TlsEngineStatus engine(String which) {
    if (which.equals("native")) {
      TlsEngineStatus st = NativeTls.probe();
      assertTrue(st.nativeEngine(), "BoringSSL must work in this build: " + st.fallbackReason());
      return st;
    }
    return TlsEngineStatus.jdk("test");
  }

  @ParameterizedTest
  @ValueSource(strings = {"native", "jdk"})
  void eachSniGetsItsCertificateExactWildcardAndDefault(String which) throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("sni root");
    IssuedCertificate bookinfo = ca.issue(LeafSpec.forDns("bookinfo.example.com"));
    IssuedCertificate httpbin = ca.issue(LeafSpec.forDns("httpbin.example.com").withKeyType(KeyType.RSA_2048));
    IssuedCertificate wildcard = ca.issue(LeafSpec.forDns("*.apps.example.com"));
    TlsCredential bookinfoCred = credential("istio-system/bookinfo", bookinfo, null);
    ServerTlsSettings settings = ServerTlsSettings.of("127.0.0.1:0",
        new SniServer(List.of("bookinfo.example.com"), TlsMode.SIMPLE, bookinfoCred),
        new SniServer(List.of("httpbin.example.com"), TlsMode.SIMPLE,
            credential("istio-system/httpbin", httpbin, null)),
        new SniServer(List.of("*.apps.example.com"), TlsMode.SIMPLE,
            credential("istio-system/apps", wildcard, null)),
        // a duplicate host is dropped with a warning, as Envoy drops duplicate filter-chain matches
        new SniServer(List.of("bookinfo.example.com"), TlsMode.SIMPLE,
            credential("istio-system/dup", httpbin, null)));
    ServerTlsConfig config = new ServerTlsFactory(engine(which)).build(settings);
    assertEquals(1, config.warnings().size(), config.warnings().toString());
    HttpServer server = TlsTestSupport.start(vertx, config);
    int port = server.actualPort();

    assertEquals(bookinfo.certificate(), new TlsTestClient().sni("bookinfo.example.com").servedCertificate(port));
    assertEquals(bookinfo.certificate(), new TlsTestClient().sni("BookInfo.Example.com").servedCertificate(port));
    assertEquals(httpbin.certificate(), new TlsTestClient().sni("httpbin.example.com").servedCertificate(port));
    assertEquals(wildcard.certificate(), new TlsTestClient().sni("shop.apps.example.com").servedCertificate(port));
    assertEquals(wildcard.certificate(), new TlsTestClient().sni("a.b.apps.example.com").servedCertificate(port));
    // no SNI, and an SNI nobody serves: the first server's certificate (refusing them is later work)
    assertEquals(bookinfo.certificate(), new TlsTestClient().servedCertificate(port));
    assertEquals(bookinfo.certificate(), new TlsTestClient().sni("apps.example.com").servedCertificate(port));

    // Vert.x caches an SSL context per server name its mapper answers: only configured exact names may get one
    var mapper = config.sslOptions().getKeyCertOptions().keyManagerFactoryMapper(vertx);
    assertTrue(mapper.apply("bookinfo.example.com") != null);
    assertTrue(mapper.apply("shop.apps.example.com") == null, "wildcard matches use the shared default context");
    assertTrue(mapper.apply("BookInfo.Example.com") == null, "case variants use the shared default context");
    assertTrue(mapper.apply("unknown.example.org") == null);

    // ALPN offers h2 and http/1.1, and the request reaches the server with its SNI
    try (SSLSocket s = new TlsTestClient().sni("httpbin.example.com").alpn("h2", "http/1.1").connect(port)) {
      assertEquals("h2", s.getApplicationProtocol());
    }
    assertEquals("HTTP/1.1 200 OK ok httpbin.example.com",
        new TlsTestClient().sni("httpbin.example.com").get(port, "/"));
  }
}

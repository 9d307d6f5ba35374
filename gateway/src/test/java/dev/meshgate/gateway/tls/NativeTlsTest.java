package dev.meshgate.gateway.tls;

import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeTlsTest {

  Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    TlsTestSupport.await(vertx.close());
  }

  @Test
  void probeHandshakesWithBoringSsl() {
    TlsEngineStatus st = NativeTls.probe();
    assertTrue(st.nativeEngine(), "fallback: " + st.fallbackReason());
    assertEquals("BoringSSL", st.engine());
    assertNull(st.fallbackReason());
    assertTrue(st.probe().startsWith("TLSv1.3 "), st.probe());
    assertInstanceOf(OpenSSLEngineOptions.class, st.engineOptions());
    assertTrue(OpenSsl.versionString().contains("BoringSSL"), OpenSsl.versionString());
  }

  @Test
  void forcedFallbackReportsTheJdkEngineAndWhy() {
    System.setProperty("meshgate.tls.forceJdk", "true");
    try {
      TlsEngineStatus st = NativeTls.probe();
      assertFalse(st.nativeEngine());
      assertEquals("JDK", st.engine());
      assertTrue(st.fallbackReason().contains("forceJdk"), st.fallbackReason());
    } finally {
      System.clearProperty("meshgate.tls.forceJdk");
    }
  }

  @Test
  void aRealConnectionThroughTheFactoryRunsOnTheOpenSslEngine() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("native root");
    IssuedCertificate leaf = ca.issue(LeafSpec.forDns("native.example.com"));
    ServerTlsFactory factory = ServerTlsFactory.withDetectedEngine();
    assertTrue(factory.engine().nativeEngine(), "fallback: " + factory.engine().fallbackReason());
    ServerTlsConfig config = factory.build(ServerTlsSettings.of("test",
        new SniServer(List.of("native.example.com"), TlsMode.SIMPLE,
            TlsTestSupport.credential("ns/native", leaf, null))));
    HttpServerOptions options = config.applyTo(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    assertInstanceOf(OpenSSLEngineOptions.class, options.getSslEngineOptions());

    CompletableFuture<String> sessionClass = new CompletableFuture<>();
    HttpServer server = TlsTestSupport.await(vertx.createHttpServer(options).requestHandler(req -> {
      sessionClass.complete(req.connection().sslSession().getClass().getName() + " "
          + req.connection().sslSession().getProtocol());
      req.response().end("native");
    }).listen());

    assertEquals("HTTP/1.1 200 OK native",
        new TlsTestClient().sni("native.example.com").get(server.actualPort(), "/"));
    String seen = sessionClass.get(10, TimeUnit.SECONDS);
    // the server-side session belongs to Netty's OpenSSL (BoringSSL) engine, not to the JDK's SSLEngineImpl
    assertTrue(seen.startsWith("io.netty.handler.ssl.ReferenceCountedOpenSslEngine"), seen);
    assertTrue(seen.endsWith("TLSv1.3"), seen);
    assertTrue(OpenSsl.versionString().contains("BoringSSL"));
  }
}

package dev.meshgate.gateway.tls;

import dev.meshgate.cert.TlsCredential;
import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.pem.CredentialParser;
import dev.meshgate.cert.pem.PemInput;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

final class TlsTestSupport {

  private TlsTestSupport() {
  }

  static TlsCredential credential(String name, IssuedCertificate leaf, CertificateAuthority clientCa) {
    return new CredentialParser().parse(name, "test", pem("tls.crt", leaf.certificatePem()),
        pem("tls.key", leaf.privateKeyPem()), clientCa == null ? null : pem("ca.crt", clientCa.certificatePem()),
        null);
  }

  static PemInput pem(String label, String text) {
    return new PemInput(label, text.getBytes(StandardCharsets.US_ASCII));
  }

  /** A plain Vert.x HTTPS server on 127.0.0.1:0 answering "ok <sni>" (the gateway proper is not involved). */
  static HttpServer start(Vertx vertx, ServerTlsConfig config) {
    HttpServerOptions options = config.applyTo(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    return await(vertx.createHttpServer(options)
        .requestHandler(req -> req.response().end("ok " + req.connection().indicatedServerName()))
        .listen());
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

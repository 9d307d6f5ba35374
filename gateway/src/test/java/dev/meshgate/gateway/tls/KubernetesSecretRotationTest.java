package dev.meshgate.gateway.tls;

import dev.meshgate.cert.CredentialStatus;
import dev.meshgate.cert.TlsCredential;
import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import dev.meshgate.cert.kubernetes.KubernetesSecretCredentialSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code credentialName} Secret rotated through the (mock) Kubernetes API server on 127.0.0.1: the Secret
 * source tells the rotation, the real HTTPS server applies it, and real handshakes see the new certificate; a
 * broken rotation keeps the old one in force.
 */
class KubernetesSecretRotationTest {

  KubernetesMockServer server;
  KubernetesClient client;
  Vertx vertx;
  KubernetesSecretCredentialSource source;
  CertificateAuthority ca;

  @BeforeEach
  void setUp() throws Exception {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(List.of()), false);
    server.init(InetAddress.getByName("127.0.0.1"), 0);
    NamespacedKubernetesClient seed = server.createClient();
    client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(seed.getConfiguration())
        .withMasterUrl("http://127.0.0.1:" + server.getPort()).build()).build();
    seed.close();
    vertx = Vertx.vertx();
    source = new KubernetesSecretCredentialSource(vertx, client, List.of("istio-system"));
    TlsTestSupport.await(source.start());
    ca = CertificateAuthority.create("rotation root");
  }

  @AfterEach
  void tearDown() {
    source.close();
    TlsTestSupport.await(vertx.close());
    client.close();
    server.destroy();
  }

  static Secret secret(IssuedCertificate cert, String keyPem) {
    return new SecretBuilder().withNewMetadata().withNamespace("istio-system").withName("bookinfo-cert").endMetadata()
        .withType("kubernetes.io/tls").withData(Map.of(
            "tls.crt", b64(cert.certificatePem()), "tls.key", b64(keyPem))).build();
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  BigInteger servedSerial(int port) throws Exception {
    return new TlsTestClient().sni("bookinfo.example.com").servedCertificate(port).getSerialNumber();
  }

  @Test
  void aRotatedSecretIsServedAndABrokenOneIsNot() throws Exception {
    IssuedCertificate v1 = ca.issue(LeafSpec.forDns("bookinfo.example.com"));
    client.secrets().resource(secret(v1, v1.privateKeyPem())).create();
    TlsCredential cred = TlsTestSupport.await(source.get("istio-system", "bookinfo-cert"));

    ServerTlsFactory factory = ServerTlsFactory.withDetectedEngine();
    ServerTlsConfig config = factory.build(ServerTlsSettings.of("test",
        new SniServer(List.of("bookinfo.example.com"), TlsMode.SIMPLE, cred)));
    HttpServer https = TlsTestSupport.start(vertx, config);
    TlsServerRotation rotation = new TlsServerRotation(https, factory, config);
    rotation.follow(source);
    int port = https.actualPort();
    assertEquals(v1.certificate().getSerialNumber(), servedSerial(port));

    IssuedCertificate v2 = ca.issue(LeafSpec.forDns("bookinfo.example.com"));
    Promise<TlsCredential> rotated = Promise.promise();
    // registered after the rotation's listener, so by the time this fires the rotation has its update queued
    source.addListener(c -> {
      if (c.leaf().equals(v2.certificate())) {
        rotated.tryComplete(c);
      }
    });
    client.secrets().resource(secret(v2, v2.privateKeyPem())).update();   // kubectl apply of the new Secret
    TlsTestSupport.await(rotated.future());
    TlsTestSupport.await(rotation.settled());
    assertEquals(v2.certificate().getSerialNumber(), servedSerial(port));

    // a mismatched key: refused, v2 keeps being served
    IssuedCertificate other = ca.issue(LeafSpec.forDns("other.example.com"));
    client.secrets().resource(secret(ca.issue(LeafSpec.forDns("bookinfo.example.com")), other.privateKeyPem()))
        .update();
    CredentialStatus status = awaitError();
    assertTrue(status.lastError().contains("private key does not match"), status.lastError());
    TlsTestSupport.await(rotation.settled());
    assertEquals(v2.certificate().getSerialNumber(), servedSerial(port));
  }

  /** Bounded poll of the inventory: a refused rotation notifies nobody, by design. */
  private CredentialStatus awaitError() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      for (CredentialStatus s : source.inventory()) {
        if (s.lastError() != null) {
          return s;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no error recorded: " + source.inventory());
  }
}

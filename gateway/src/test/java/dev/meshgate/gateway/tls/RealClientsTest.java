package dev.meshgate.gateway.tls;

import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** curl and openssl s_client against a factory-configured Vert.x server on 127.0.0.1 (the tools Istio users use). */
class RealClientsTest {

  static CertificateAuthority serverCa;
  static CertificateAuthority clientCa;

  @TempDir
  Path dir;
  Vertx vertx;

  @BeforeAll
  static void pki() {
    serverCa = CertificateAuthority.create("server root");
    clientCa = CertificateAuthority.create("client root");
  }

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    TlsTestSupport.await(vertx.close());
  }

  record Result(int exit, String out) {
  }

  Result run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
        new java.io.File("/dev/null"))).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  int startSimpleAndMutual() {
    IssuedCertificate site = serverCa.issue(LeafSpec.forDns("bookinfo.example.com"));
    IssuedCertificate mtls = serverCa.issue(LeafSpec.forDns("mtls.example.com"));
    ServerTlsConfig config = ServerTlsFactory.withDetectedEngine().build(ServerTlsSettings.of("test",
        new SniServer(List.of("bookinfo.example.com"), TlsMode.SIMPLE,
            TlsTestSupport.credential("istio-system/bookinfo", site, null)),
        new SniServer(List.of("mtls.example.com"), TlsMode.MUTUAL,
            TlsTestSupport.credential("istio-system/mtls", mtls, clientCa))));
    return TlsTestSupport.start(vertx, config).actualPort();
  }

  List<String> curl(int port, String host, String... extra) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20",
        "--resolve", host + ":" + port + ":127.0.0.1",
        "--cacert", write("ca.pem", serverCa.certificatePem()).toString(),
        "-w", " http=%{http_version}"));
    cmd.addAll(List.of(extra));
    cmd.add("https://" + host + ":" + port + "/");
    return cmd;
  }

  @Test
  void curlGetsH2WithTheRightCertificateAndMutualNeedsAClientCertificate() throws Exception {
    int port = startSimpleAndMutual();
    Result simple = run(curl(port, "bookinfo.example.com", "--http2").toArray(String[]::new));
    assertEquals(0, simple.exit(), simple.out());
    assertEquals("ok bookinfo.example.com http=2", simple.out().trim());

    IssuedCertificate client = clientCa.issue(LeafSpec.forUri("spiffe://cluster.local/ns/default/sa/sleep"));
    Result withCert = run(curl(port, "mtls.example.com", "--cert",
        write("client.pem", client.certificatePem()).toString(), "--key",
        write("client.key", client.privateKeyPem()).toString()).toArray(String[]::new));
    assertEquals(0, withCert.exit(), withCert.out());
    assertTrue(withCert.out().startsWith("ok mtls.example.com"), withCert.out());

    // the mixed port only requests a certificate, so MUTUAL is the connection handler's job here; a port with
    // only MUTUAL servers refuses in the handshake:
    IssuedCertificate mtls = serverCa.issue(LeafSpec.forDns("mtls.example.com"));
    int mutualOnly = TlsTestSupport.start(vertx, ServerTlsFactory.withDetectedEngine().build(ServerTlsSettings.of(
        "mutual", new SniServer(List.of("mtls.example.com"), TlsMode.MUTUAL,
            TlsTestSupport.credential("istio-system/mtls", mtls, clientCa))))).actualPort();
    Result refused = run(curl(mutualOnly, "mtls.example.com").toArray(String[]::new));
    assertNotEquals(0, refused.exit(), refused.out());
    Result accepted = run(curl(mutualOnly, "mtls.example.com", "--cert", dir.resolve("client.pem").toString(),
        "--key", dir.resolve("client.key").toString()).toArray(String[]::new));
    assertEquals(0, accepted.exit(), accepted.out());
  }

  @Test
  void opensslSClientSeesSniCertificateAlpnAndProtocol() throws Exception {
    int port = startSimpleAndMutual();
    Result r = run("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "bookinfo.example.com",
        "-alpn", "h2,http/1.1", "-CAfile", write("ca.pem", serverCa.certificatePem()).toString(),
        "-verify_return_error");
    assertEquals(0, r.exit(), r.out());
    assertTrue(r.out().contains("CN = bookinfo.example.com"), r.out());
    assertTrue(r.out().contains("ALPN protocol: h2"), r.out());
    assertTrue(r.out().contains("Verify return code: 0 (ok)"), r.out());
    assertTrue(r.out().contains("TLSv1.3"), r.out());

    Result mtls = run("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "mtls.example.com");
    assertTrue(mtls.out().contains("CN = mtls.example.com"), mtls.out());
  }

  @Test
  void tls11IsRefusedByDefaultAndAcceptedWhenConfigured() throws Exception {
    IssuedCertificate site = serverCa.issue(LeafSpec.forDns("old.example.com"));
    ServerTlsSettings base = ServerTlsSettings.of("test", new SniServer(List.of("old.example.com"), TlsMode.SIMPLE,
        TlsTestSupport.credential("ns/old", site, null)));
    int byDefault = TlsTestSupport.start(vertx, ServerTlsFactory.withDetectedEngine().build(base)).actualPort();
    int legacy = TlsTestSupport.start(vertx, ServerTlsFactory.withDetectedEngine().build(base
        .withProtocols(TlsProtocolVersion.TLSV1_1, TlsProtocolVersion.TLS_AUTO)
        .withCipherSuites(List.of("ECDHE-ECDSA-AES128-SHA")))).actualPort();
    String[] tls11 = {"openssl", "s_client", "-servername", "old.example.com", "-tls1_1", "-cipher",
        "ECDHE-ECDSA-AES128-SHA@SECLEVEL=0", "-connect"};
    Result accepted = run(concat(tls11, "127.0.0.1:" + legacy));
    assertTrue(accepted.out().contains("Protocol  : TLSv1.1") || accepted.out().contains("Protocol: TLSv1.1"),
        "positive control: this openssl must be able to speak TLS 1.1\n" + accepted.out());
    Result refused = run(concat(tls11, "127.0.0.1:" + byDefault));
    assertNotEquals(0, refused.exit(), refused.out());
    assertTrue(!refused.out().contains("TLSv1.1, Cipher is"), refused.out());
  }

  private static String[] concat(String[] a, String b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = b;
    return out;
  }
}

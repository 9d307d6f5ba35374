package dev.meshgate.cert.kubernetes;

import dev.meshgate.cert.Await;
import dev.meshgate.cert.CredentialException;
import dev.meshgate.cert.CredentialStatus;
import dev.meshgate.cert.TlsCredential;
import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
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
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against fabric8's Kubernetes mock API server in CRUD mode on 127.0.0.1. */
class KubernetesSecretCredentialSourceTest {

    static CertificateAuthority ca;
    static CertificateAuthority clientCa;

    KubernetesMockServer server;
    KubernetesClient client;
    Vertx vertx;
    KubernetesSecretCredentialSource source;
    final BlockingQueue<TlsCredential> changes = new LinkedBlockingQueue<>();

    @BeforeAll
    static void pki() {
        ca = CertificateAuthority.create("server root");
        clientCa = CertificateAuthority.create("client root");
    }

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
        source.addListener(changes::add);
        Await.result(source.start());
    }

    @AfterEach
    void tearDown() {
        source.close();
        Await.result(vertx.close());
        client.close();
        server.destroy();
    }

    static Secret secret(String name, Map<String, String> keys) {
        Map<String, String> data = new LinkedHashMap<>();
        keys.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return new SecretBuilder().withNewMetadata().withNamespace("istio-system").withName(name).endMetadata()
                .withType("kubernetes.io/tls").withData(data).build();
    }

    static IssuedCertificate leaf(String host) {
        return ca.issue(LeafSpec.forDns(host));
    }

    TlsCredential nextChange() throws InterruptedException {
        TlsCredential c = changes.poll(20, TimeUnit.SECONDS);
        assertNotNull(c, "no credential change reported");
        return c;
    }

    @Test
    void tlsSecretIsServedAndARotationReachesTheListeners() throws Exception {
        IssuedCertificate first = leaf("bookinfo.example.com");
        client.secrets().resource(secret("bookinfo-cert", Map.of("tls.crt", first.certificatePem(),
                "tls.key", first.privateKeyPem()))).create();
        TlsCredential cred = Await.result(source.get("istio-system", "bookinfo-cert"));
        assertEquals("istio-system/bookinfo-cert", cred.name());
        assertEquals(first.certificate(), cred.leaf());
        assertTrue(cred.ca().isEmpty());
        changes.clear(); // the first load is reported too; the rotation is what this test is about

        IssuedCertificate second = leaf("bookinfo.example.com");
        client.secrets().resource(secret("bookinfo-cert", Map.of("tls.crt", second.certificatePem(),
                "tls.key", second.privateKeyPem()))).update();
        TlsCredential rotated = nextChange();
        assertEquals(second.certificate(), rotated.leaf());
        assertEquals(second.certificate(), Await.result(source.get("istio-system", "bookinfo-cert")).leaf());
    }

    @Test
    void genericLayoutWithCompanionCaSecretAndCrl() throws Exception {
        IssuedCertificate c = leaf("mtls.example.com");
        client.secrets().resource(secret("mtls", Map.of("cert", c.certificatePem(), "key", c.privateKeyPem(),
                // the companion wins over a CA in the Secret itself, as in Istio
                "ca.crt", ca.certificatePem()))).create();
        String crl = dev.meshgate.cert.pem.PemCodec.crlsPem(List.of(clientCa.crl(List.of(),
                java.time.Duration.ofDays(1))));
        client.secrets().resource(secret("mtls-cacert", Map.of("cacert", clientCa.certificatePem(), "crl", crl)))
                .create();
        // Secrets created together may reach the informer in any order: the companion's arrival reloads the
        // credential, so wait for the final state
        TlsCredential cred = awaitCredential("istio-system", "mtls",
                x -> x.ca().isPresent() && x.ca().get().certificates().get(0).equals(clientCa.certificate()));
        assertTrue(cred.crl().isPresent());
        assertTrue(cred.origin().contains("istio-system/mtls-cacert"), cred.origin());
    }

    @Test
    void caOnlyReadsTheCompanionElseTheSecretWithoutAKeyPairAndSaysWhatIsMissing() throws Exception {
        client.secrets().resource(secret("ca-only", Map.of("ca.crt", ca.certificatePem()))).create();
        assertEquals(ca.certificatePem().strip(), new String(Await.result(source.caOnly("istio-system", "ca-only"))
                .data(), StandardCharsets.UTF_8).strip());
        client.secrets().resource(secret("ca-only-cacert", Map.of("cacert", clientCa.certificatePem()))).create();
        // the companion reaches the informer cache a moment later: bounded wait for it
        String got = null;
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); System.nanoTime() < end; ) {
            got = new String(Await.result(source.caOnly("istio-system", "ca-only")).data(), StandardCharsets.UTF_8)
                    .strip();
            if (!got.equals(ca.certificatePem().strip())) {
                break;
            }
            Thread.sleep(10);
        }
        assertEquals(clientCa.certificatePem().strip(), got, "the companion wins, as in Istio");
        client.secrets().resource(secret("no-ca", Map.of("tls.crt", "x"))).create();
        Throwable t = Await.failure(source.caOnly("istio-system", "no-ca"));
        assertTrue(t.getMessage().contains("cacert or ca.crt") && t.getMessage().contains("tls.crt"),
                t.getMessage());
        assertTrue(Await.failure(source.caOnly("other", "x")).getMessage().contains("namespace"));
    }

    @Test
    void aSecretCreatedAfterTheFirstRequestIsPickedUp() throws Exception {
        Throwable t = Await.failure(source.get("istio-system", "later"));
        assertInstanceOf(CredentialException.class, t);
        assertTrue(t.getMessage().startsWith("credential istio-system/later: Secret istio-system/later not found"),
                t.getMessage());

        IssuedCertificate c = leaf("later.example.com");
        client.secrets().resource(secret("later", Map.of("tls.crt", c.certificatePem(), "tls.key",
                c.privateKeyPem()))).create();
        assertEquals(c.certificate(), nextChange().leaf());
    }

    @Test
    void aBrokenRotationKeepsThePreviousCertificateAndRecordsTheError() throws Exception {
        IssuedCertificate c = leaf("keep.example.com");
        client.secrets().resource(secret("keep", Map.of("tls.crt", c.certificatePem(), "tls.key",
                c.privateKeyPem()))).create();
        Await.result(source.get("istio-system", "keep"));
        // the Secret's informer event may have started a check that loaded it first and reports it after get()
        // completed: a check now runs after that one, so its report is in before the queue is cleared
        Await.result(source.pollNow());
        changes.clear();

        IssuedCertificate other = leaf("other.example.com");
        client.secrets().resource(secret("keep", Map.of("tls.crt", c.certificatePem(), "tls.key",
                other.privateKeyPem()))).update();
        CredentialStatus status = awaitError("istio-system/keep");
        assertTrue(status.lastError().contains("private key does not match"), status.lastError());
        assertEquals(c.certificate(), status.credential().leaf());
        assertNull(changes.poll(), "a broken rotation is not reported as a change");

        client.secrets().resource(secret("keep", Map.of("cert", c.certificatePem(), "key", c.privateKeyPem())))
                .update();
        Secret wrongKeys = secret("keep", Map.of("certificate", c.certificatePem()));
        client.secrets().resource(wrongKeys).update();
        CredentialStatus layout = awaitErrorContaining("istio-system/keep", "does not have the expected keys");
        assertTrue(layout.lastError().contains("found: certificate"), layout.lastError());
    }

    @Test
    void otherNamespacesAreRefusedWithAReason() {
        Throwable t = Await.failure(source.get("default", "x"));
        assertTrue(t.getMessage().contains("[istio-system]"), t.getMessage());
    }

    private TlsCredential awaitCredential(String ns, String name, java.util.function.Predicate<TlsCredential> p)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        TlsCredential c = null;
        while (System.nanoTime() < deadline) {
            c = Await.result(source.get(ns, name));
            if (p.test(c)) {
                return c;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("credential " + ns + "/" + name + " never matched; last: " + c);
    }

    private CredentialStatus awaitError(String name) throws InterruptedException {
        return awaitErrorContaining(name, "");
    }

    /** Bounded poll of the inventory (a failed reload notifies nobody, by design). */
    private CredentialStatus awaitErrorContaining(String name, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (CredentialStatus s : source.inventory()) {
                if (s.name().equals(name) && s.lastError() != null && s.lastError().contains(text)) {
                    return s;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no error containing '" + text + "' for " + name + ": " + source.inventory());
    }
}

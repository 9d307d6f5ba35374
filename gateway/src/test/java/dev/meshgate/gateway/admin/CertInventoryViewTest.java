package dev.meshgate.gateway.admin;

import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import dev.meshgate.cert.source.DirectoryCredentialSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /certs} from a real credential source with a real CA-issued certificate; the key never shows. */
class CertInventoryViewTest {

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private DirectoryCredentialSource source;

    @AfterEach
    void close() throws Exception {
        if (source != null) {
            source.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void listsServingAndBrokenCredentialsWithoutTheirKeys() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("test-ca");
        IssuedCertificate leaf = ca.issue(LeafSpec.forDns("gw.example.com"));
        leaf.writeTlsSecret(dir.resolve("istio-system").resolve("gw-cert"));
        source = new DirectoryCredentialSource(vertx, dir);
        await(source.get("istio-system", "gw-cert"));
        await(source.get("istio-system", "missing").otherwiseEmpty());

        JsonObject doc = await(new CertInventoryView(source::inventory).render());
        JsonArray certs = doc.getJsonArray("certificates");
        assertEquals(2, certs.size(), doc.encodePrettily());
        JsonObject engine = doc.getJsonObject("tlsEngine");
        dev.meshgate.gateway.tls.TlsEngineStatus status = dev.meshgate.gateway.tls.NativeTls.status();
        assertEquals(status.engine(), engine.getString("engine"), doc.encode());
        assertEquals(status.nativeEngine(), engine.getBoolean("nativeEngine"), doc.encode());
        JsonObject gw = certs.getJsonObject(0);
        assertEquals("istio-system/gw-cert", gw.getString("name"));
        assertTrue(gw.getBoolean("serving"));
        assertTrue(gw.getJsonArray("sans").contains("DNS:gw.example.com"), gw.encode());
        assertEquals(leaf.certificate().getNotAfter().toInstant().toString(), gw.getString("notAfter"));
        assertTrue(gw.getLong("daysUntilExpiry") > 80, gw.encode());
        assertTrue(gw.getString("issuer").contains("test-ca"), gw.encode());
        JsonObject missing = certs.getJsonObject(1);
        assertEquals("istio-system/missing", missing.getString("name"));
        assertFalse(missing.getBoolean("serving"));
        assertNotNull(missing.getString("lastError"));

        String text = doc.encode();
        String keyBody = leaf.privateKeyPem().lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        assertFalse(text.contains("PRIVATE KEY") || text.contains(keyBody), "the key leaked: " + text);
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aJdkFallbackIsVisible() throws Exception {
        JsonObject doc = await(new CertInventoryView(java.util.List::of, java.time.Clock.systemUTC(),
                () -> dev.meshgate.gateway.tls.TlsEngineStatus.jdk("no native library")).render());
        JsonObject engine = doc.getJsonObject("tlsEngine");
        assertEquals("JDK", engine.getString("engine"), doc.encode());
        assertEquals(false, engine.getBoolean("nativeEngine"));
        assertEquals("no native library", engine.getString("fallbackReason"));
    }
}

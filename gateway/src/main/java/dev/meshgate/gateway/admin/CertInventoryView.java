package dev.meshgate.gateway.admin;

import dev.meshgate.admin.views.CertsView;
import dev.meshgate.cert.CredentialStatus;
import dev.meshgate.cert.TlsCredential;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /certs}: cert-manager's inventory. Fields are picked one by one from each credential: the private
 * key (and the PEM buffers) are never serialised.
 */
public final class CertInventoryView implements CertsView {

    private final Supplier<List<CredentialStatus>> inventory;
    private final Clock clock;
    /** The TLS engine in use: a fallback to the JDK engine must be visible to operators, not only in the log. */
    private final Supplier<dev.meshgate.gateway.tls.TlsEngineStatus> engine;

    public CertInventoryView(Supplier<List<CredentialStatus>> inventory) {
        this(inventory, Clock.systemUTC());
    }

    public CertInventoryView(Supplier<List<CredentialStatus>> inventory, Clock clock) {
        this(inventory, clock, dev.meshgate.gateway.tls.NativeTls::status);
    }

    public CertInventoryView(Supplier<List<CredentialStatus>> inventory, Clock clock,
                             Supplier<dev.meshgate.gateway.tls.TlsEngineStatus> engine) {
        this.inventory = inventory;
        this.clock = clock;
        this.engine = engine;
    }

    @Override
    public Future<JsonObject> render() {
        Instant now = clock.instant();
        List<CredentialStatus> all = new ArrayList<>(inventory.get());
        all.sort(Comparator.comparing(CredentialStatus::name));
        JsonArray out = new JsonArray();
        for (CredentialStatus s : all) {
            JsonObject c = new JsonObject().put("name", s.name()).put("origin", s.origin())
                    .put("serving", s.serving())
                    .put("lastError", s.lastError())
                    .put("lastErrorAt", s.lastErrorAt() == null ? null : s.lastErrorAt().toString());
            TlsCredential cred = s.credential();
            if (cred != null) {
                c.put("subject", cred.subject()).put("issuer", cred.issuer()).put("serial", cred.serialHex())
                        .put("sans", new JsonArray(new ArrayList<>(cred.sans().all())))
                        .put("notBefore", cred.notBefore().toString()).put("notAfter", cred.notAfter().toString())
                        .put("daysUntilExpiry", Duration.between(now, cred.notAfter()).toDays())
                        .put("sha256", cred.sha256())
                        .put("chainLength", cred.chain().size())
                        .put("hasCa", cred.ca().isPresent())
                        .put("loadedAt", cred.loadedAt() == null ? null : cred.loadedAt().toString())
                        .put("warnings", new JsonArray(new ArrayList<>(cred.warnings())));
            }
            out.add(c);
        }
        dev.meshgate.gateway.tls.TlsEngineStatus e = engine.get();
        JsonObject tls = new JsonObject().put("engine", e.engine()).put("nativeEngine", e.nativeEngine())
                .put("version", e.version()).put("probe", e.probe()).put("fallbackReason", e.fallbackReason());
        return Future.succeededFuture(new JsonObject().put("tlsEngine", tls).put("certificates", out));
    }
}

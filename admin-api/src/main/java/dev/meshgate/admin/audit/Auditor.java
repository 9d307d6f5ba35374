package dev.meshgate.admin.audit;

import io.vertx.core.Future;

import java.util.logging.Logger;

/** Where audit entries go; {@link #LOG_ONLY} when no audit file is configured. */
@FunctionalInterface
public interface Auditor {

    Auditor LOG_ONLY = entry -> {
        Logger.getLogger(Auditor.class.getName()).info(() -> "audit " + entry.toJson().encode());
        return Future.succeededFuture();
    };

    Future<Void> record(AuditEntry entry);
}

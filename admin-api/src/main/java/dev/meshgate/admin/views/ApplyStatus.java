package dev.meshgate.admin.views;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.snapshot.ConfigStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /status} reports: the snapshot serving now and the last rejected change (a rejected change keeps
 * the last good snapshot serving).
 *
 * @param lastAppliedVersion 0 before the first snapshot
 * @param failing            the most recent change was rejected: what the sources say is not what is serving
 * @param lastErrorAt        null when no change was ever rejected
 * @param lastErrors         the formatted diagnostics ({@code Diagnostic.format()}) of the last rejected change
 * @param appliedWarnings    the formatted warnings of the serving snapshot
 */
public record ApplyStatus(long lastAppliedVersion, String lastAppliedHash, Instant lastAppliedAt, boolean failing,
                          Instant lastErrorAt, List<String> lastErrors, List<String> appliedWarnings) {

    public ApplyStatus {
        lastErrors = lastErrors == null ? List.of() : List.copyOf(lastErrors);
        appliedWarnings = appliedWarnings == null ? List.of() : List.copyOf(appliedWarnings);
    }

    public static ApplyStatus of(ConfigStatus s) {
        return new ApplyStatus(s.appliedVersion(), s.appliedHash(), s.appliedAt(), s.failing(), s.lastErrorAt(),
                s.lastErrors().stream().map(Diagnostic::format).toList(),
                s.appliedWarnings().stream().map(Diagnostic::format).toList());
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("lastAppliedVersion", lastAppliedVersion)
                .put("lastAppliedHash", lastAppliedHash)
                .put("lastAppliedAt", lastAppliedAt == null ? null : lastAppliedAt.toString())
                .put("failing", failing)
                .put("lastErrorAt", lastErrorAt == null ? null : lastErrorAt.toString())
                .put("lastErrors", new JsonArray(List.copyOf(lastErrors)))
                .put("appliedWarnings", new JsonArray(List.copyOf(appliedWarnings)));
    }
}

package dev.meshgate.admin.views;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /status} reports: the last snapshot applied and the last error (a rejected change keeps the last
 * good snapshot serving).
 *
 * @param lastAppliedVersion 0 before the first snapshot
 * @param lastError          null when the latest change applied cleanly
 * @param lastErrorDetails   the formatted diagnostics of the last rejected change
 */
public record ApplyStatus(long lastAppliedVersion, String lastAppliedHash, Instant lastAppliedAt,
                          String lastError, Instant lastErrorAt, List<String> lastErrorDetails) {

    public ApplyStatus {
        lastErrorDetails = lastErrorDetails == null ? List.of() : List.copyOf(lastErrorDetails);
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("lastAppliedVersion", lastAppliedVersion)
                .put("lastAppliedHash", lastAppliedHash)
                .put("lastAppliedAt", lastAppliedAt == null ? null : lastAppliedAt.toString())
                .put("lastError", lastError)
                .put("lastErrorAt", lastErrorAt == null ? null : lastErrorAt.toString())
                .put("lastErrorDetails", new JsonArray(List.copyOf(lastErrorDetails)));
    }
}

package dev.meshgate.admin.audit;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * One line of the audit log.
 *
 * @param principal          who ({@code token:alice}, {@code cert:CN=ops}, {@code anonymous})
 * @param verb               create, update, patch, delete (Kubernetes audit verbs), or {@code set-log-level}
 * @param resource           what, e.g. {@code networking.istio.io/v1 VirtualService default/reviews}
 * @param oldResourceVersion the version before the write; null when there was none
 * @param newResourceVersion the version after; null for a delete, a dry run or a refused write
 * @param code               the HTTP status answered
 */
public record AuditEntry(Instant time, String principal, String verb, String resource, String oldResourceVersion,
                         String newResourceVersion, boolean dryRun, int code) {

    public JsonObject toJson() {
        return new JsonObject()
                .put("time", time.toString())
                .put("principal", principal)
                .put("verb", verb)
                .put("resource", resource)
                .put("oldResourceVersion", oldResourceVersion)
                .put("newResourceVersion", newResourceVersion)
                .put("dryRun", dryRun)
                .put("code", code);
    }
}

package dev.meshgate.admin.resources;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A refused request, rendered as a Kubernetes {@code Status} object so kubectl-minded clients recognise it:
 * {@code {"kind":"Status","apiVersion":"v1","status":"Failure","message":...,"reason":"Conflict","code":409}}.
 *
 * @param causes formatted diagnostics ({@code Diagnostic.format()}), one per cause
 */
public final class ApiError extends RuntimeException {

    private final int code;
    private final String reason;
    private final List<Cause> causes;

    public record Cause(String reason, String field, String message) {
    }

    public ApiError(int code, String reason, String message, List<Cause> causes) {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
        this.causes = List.copyOf(causes);
    }

    public ApiError(int code, String reason, String message) {
        this(code, reason, message, List.of());
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, "BadRequest", message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "NotFound", message);
    }

    public static ApiError conflict(String message) {
        return new ApiError(409, "Conflict", message);
    }

    public static ApiError alreadyExists(String message) {
        return new ApiError(409, "AlreadyExists", message);
    }

    public static ApiError unsupportedMediaType(String message) {
        return new ApiError(415, "UnsupportedMediaType", message);
    }

    public static ApiError invalid(String message, List<Cause> causes) {
        return new ApiError(422, "Invalid", message, causes);
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public List<Cause> causes() {
        return causes;
    }

    public JsonObject toStatus() {
        JsonObject status = new JsonObject()
                .put("kind", "Status")
                .put("apiVersion", "v1")
                .put("metadata", new JsonObject())
                .put("status", "Failure")
                .put("message", getMessage())
                .put("reason", reason)
                .put("code", code);
        if (!causes.isEmpty()) {
            JsonArray arr = new JsonArray();
            for (Cause c : causes) {
                JsonObject o = new JsonObject().put("reason", c.reason()).put("message", c.message());
                if (c.field() != null) {
                    o.put("field", c.field());
                }
                arr.add(o);
            }
            status.put("details", new JsonObject().put("causes", arr));
        }
        return status;
    }
}

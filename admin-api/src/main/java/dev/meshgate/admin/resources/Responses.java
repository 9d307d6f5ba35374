package dev.meshgate.admin.resources;

import dev.meshgate.config.diag.Diagnostic;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/** Writes JSON or YAML (by Accept) answers and Status-shaped errors. */
public final class Responses {

    private Responses() {
    }

    public static void send(RoutingContext ctx, int code, Object doc) {
        send(ctx, code, doc, List.of());
    }

    public static void send(RoutingContext ctx, int code, Object doc, List<Diagnostic> warnings) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        boolean yaml = Bodies.wantsYaml(ctx.request().getHeader("Accept"));
        for (Diagnostic w : warnings) {
            ctx.response().headers().add("Warning", warningValue(w.format()));
        }
        ctx.response()
                .setStatusCode(code)
                .putHeader("Content-Type", yaml ? Bodies.YAML : Bodies.JSON)
                .end(Bodies.render(doc, yaml));
    }

    public static void error(RoutingContext ctx, ApiError e) {
        send(ctx, e.code(), e.toStatus());
    }

    /** A JSON reason for views without a provider or other non-resource failures. */
    public static void unavailable(RoutingContext ctx, String message) {
        error(ctx, new ApiError(503, "ServiceUnavailable", message));
    }

    /** RFC 7234 warn-code 299, as the Kubernetes API server sends validation warnings. */
    static String warningValue(String text) {
        String clean = text.replace('\n', ' ').replace('\r', ' ').replace("\\", "\\\\").replace("\"", "\\\"");
        return "299 - \"" + clean + "\"";
    }

    public static JsonObject success(String message) {
        return new JsonObject().put("kind", "Status").put("apiVersion", "v1").put("metadata", new JsonObject())
                .put("status", "Success").put("message", message).put("code", 200);
    }
}

package dev.meshgate.admin.views;

import dev.meshgate.admin.resources.ApiError;
import dev.meshgate.admin.resources.ResourceCodec;
import dev.meshgate.admin.resources.Responses;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.snapshot.ConfigSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The read-only views; each answers 503 with a reason while its provider is not registered. */
public final class ViewsHandler {

    private static final Logger LOG = Logger.getLogger(ViewsHandler.class.getName());

    private final Vertx vertx;
    private final AdminViews views;
    private final ResourceCodec codec;

    public ViewsHandler(Vertx vertx, AdminViews views, ResourceCodec codec) {
        this.vertx = vertx;
        this.views = views;
        this.codec = codec;
    }

    public void configDump(RoutingContext ctx) {
        SnapshotView v = views.snapshot();
        if (v == null || codec == null) {
            Responses.unavailable(ctx, "no config snapshot provider is registered yet (the config pipeline has"
                    + " not started)");
            return;
        }
        ConfigSnapshot s = v.current();
        // encoding every resource of a large config is real work: keep it off the event loop
        vertx.executeBlocking(() -> {
            JsonArray resources = new JsonArray();
            for (Resource<?> r : s.resources()) {
                resources.add(new JsonObject(codec.encode(r)));
            }
            return new JsonObject()
                    .put("version", s.version())
                    .put("hash", s.hash())
                    .put("createdAt", s.createdAt().toString())
                    .put("resources", resources);
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                Responses.send(ctx, 200, ar.result());
            } else {
                fail(ctx, "/config_dump", ar.cause());
            }
        });
    }

    public void status(RoutingContext ctx) {
        StatusView v = views.status();
        if (v == null) {
            Responses.unavailable(ctx, "no config status provider is registered yet (the config pipeline has not"
                    + " started)");
            return;
        }
        Responses.send(ctx, 200, v.status().toJson());
    }

    /** A handler for a {@link JsonView} slot, e.g. {@code json("/listeners", AdminViews::listeners)}. */
    public io.vertx.core.Handler<RoutingContext> json(String path, Function<AdminViews, ? extends JsonView> slot) {
        return ctx -> {
            JsonView v = slot.apply(views);
            if (v == null) {
                Responses.unavailable(ctx, "no provider is registered for " + path + " (that part of the gateway"
                        + " has not started, or is not enabled)");
                return;
            }
            v.render().onComplete(ar -> {
                if (ar.succeeded()) {
                    Responses.send(ctx, 200, ar.result());
                } else {
                    fail(ctx, path, ar.cause());
                }
            });
        };
    }

    private static void fail(RoutingContext ctx, String path, Throwable e) {
        LOG.log(Level.WARNING, "rendering " + path + " failed", e);
        Responses.error(ctx, new ApiError(500, "InternalError", "rendering " + path + " failed: " + e.getMessage()));
    }
}

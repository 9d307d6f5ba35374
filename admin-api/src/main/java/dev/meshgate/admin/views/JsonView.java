package dev.meshgate.admin.views;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * A read-only document the data plane renders on demand. Implementations may gather from several event loops,
 * hence the Future; they must not block. The admin server answers 503 while a view has no provider.
 */
@FunctionalInterface
public interface JsonView {

    Future<JsonObject> render();
}

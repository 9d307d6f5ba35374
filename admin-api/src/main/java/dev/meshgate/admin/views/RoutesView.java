package dev.meshgate.admin.views;

/**
 * {@code GET /routes}: the compiled route table per listener and host, each host's routes in match order.
 * Expected shape:
 * <pre>{"listeners": [{"name": "0.0.0.0_8080", "hosts": [{"host": "reviews.example.com",
 *   "routes": [{"virtualService": "default/reviews", "index": 0, "name": "v2", "match": {...},
 *   "action": {...}}]}]}]}</pre>
 */
@FunctionalInterface
public interface RoutesView extends JsonView {
}

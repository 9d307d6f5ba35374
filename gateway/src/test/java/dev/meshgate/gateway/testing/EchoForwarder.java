package dev.meshgate.gateway.testing;

import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.exchange.HeaderOps;
import dev.meshgate.gateway.route.ForwardAction;
import dev.meshgate.gateway.route.MirrorPolicy;
import dev.meshgate.gateway.route.WeightedDestination;
import dev.meshgate.gateway.upstream.Forwarder;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeSet;

/**
 * A forwarder for routing tests: instead of calling an upstream it answers 200 with what routing decided
 * (cluster, outgoing path, authority and headers, route name, timeout, retries, mirrors) as JSON, and applies the
 * exchange's response header ops like the real forwarder does.
 */
public final class EchoForwarder implements Forwarder {

    @Override
    public void forward(Exchange ex, ForwardAction action, WeightedDestination dest) {
        ex.upstreamCluster(dest.cluster().name());
        JsonObject headers = new JsonObject();
        for (String name : new TreeSet<>(ex.upstreamHeaders().names())) {
            headers.put(name.toLowerCase(), String.join(",", ex.upstreamHeaders().getAll(name)));
        }
        JsonArray mirrors = new JsonArray();
        for (MirrorPolicy m : action.mirrors()) {
            mirrors.add(new JsonObject().put("cluster", m.cluster().name()).put("percentage", m.percentage()));
        }
        JsonObject body = new JsonObject()
                .put("cluster", dest.cluster().name())
                .put("path", ex.path())
                .put("authority", ex.authority())
                .put("route", ex.routeName())
                .put("headers", headers)
                .put("timeoutMs", action.timeout() == null ? null : action.timeout().toMillis())
                .put("retryAttempts", action.retries().attempts())
                .put("retryOn", new JsonArray(new java.util.ArrayList<>(new TreeSet<>(action.retries().retryOn()))))
                .put("retryCodes", new JsonArray(new java.util.ArrayList<>(new TreeSet<>(action.retries().retriableStatusCodes()))))
                .put("perTryTimeoutMs", action.retries().perTryTimeout() == null ? null
                        : action.retries().perTryTimeout().toMillis())
                .put("mirrors", mirrors)
                .put("flags", ex.flagsString());
        ex.request().resume();
        ex.request().body().onComplete(ar -> {
            if (ar.succeeded()) {
                body.put("requestBody", ar.result().toString());
            }
            HttpServerResponse resp = ex.request().response();
            resp.putHeader("content-type", "application/json");
            resp.putHeader("x-echo-cluster", dest.cluster().name());
            for (HeaderOps ops : ex.responseHeaderOps()) {
                ops.applyTo(resp.headers());
            }
            resp.end(body.encode());
        });
    }

    public static Map<String, Object> parse(String json) {
        return new JsonObject(json).getMap();
    }
}

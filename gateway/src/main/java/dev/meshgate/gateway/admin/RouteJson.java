package dev.meshgate.gateway.admin;

import dev.meshgate.gateway.exchange.HeaderOps;
import dev.meshgate.gateway.route.CompiledRoute;
import dev.meshgate.gateway.route.ForwardAction;
import dev.meshgate.gateway.route.MirrorPolicy;
import dev.meshgate.gateway.route.PathRewrite;
import dev.meshgate.gateway.route.RequestMatcher;
import dev.meshgate.gateway.route.RetryPolicy;
import dev.meshgate.gateway.route.RouteAction;
import dev.meshgate.gateway.route.StringMatcher;
import dev.meshgate.gateway.route.WeightedDestination;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * One compiled route as the admin API shows it: Istio's vocabulary (uri/headers/queryParams with exact, prefix,
 * regex) rather than the internal matcher classes, so operators can compare it with the VirtualService.
 */
final class RouteJson {

    private RouteJson() {
    }

    static JsonObject route(CompiledRoute r, int index) {
        JsonObject out = new JsonObject().put("index", index).put("name", r.name());
        out.put("match", match(r.matcher()));
        out.put("catchAll", r.catchAll());
        out.put("action", action(r.action()));
        if (r.pathRewrite() != null) {
            out.put("rewrite", rewrite(r.pathRewrite()));
        }
        if (r.authorityRewrite() != null) {
            out.put("authorityRewrite", r.authorityRewrite());
        }
        putOps(out, "requestHeaders", r.requestOps());
        putOps(out, "responseHeaders", r.responseOps());
        if (r.fault() != null) {
            out.put("fault", new JsonObject()
                    .put("delay", r.fault().delay() == null ? null : r.fault().delay().toString())
                    .put("delayPercent", r.fault().delayPercent())
                    .put("abortStatus", r.fault().abortStatus())
                    .put("grpcStatus", r.fault().grpcStatus())
                    .put("abortPercent", r.fault().abortPercent()));
        }
        if (r.cors() != null) {
            out.put("cors", true);
        }
        return out;
    }

    /** The conditions ANDed; an empty object is the catch-all. */
    static JsonObject match(RequestMatcher m) {
        JsonObject out = new JsonObject();
        List<RequestMatcher> conditions = m instanceof RequestMatcher.All all ? all.conditions() : List.of(m);
        for (RequestMatcher c : conditions) {
            if (c instanceof RequestMatcher.Uri u) {
                out.put("uri", string(u.match()));
            } else if (c instanceof RequestMatcher.Scheme s) {
                out.put("scheme", string(s.match()));
            } else if (c instanceof RequestMatcher.Method s) {
                out.put("method", string(s.match()));
            } else if (c instanceof RequestMatcher.Authority s) {
                out.put("authority", string(s.match()));
            } else if (c instanceof RequestMatcher.Header h) {
                object(out, "headers").put(h.name(), string(h.match()));
            } else if (c instanceof RequestMatcher.WithoutHeader h) {
                object(out, "withoutHeaders").put(h.name(), string(h.match()));
            } else if (c instanceof RequestMatcher.QueryParam q) {
                object(out, "queryParams").put(q.name(), string(q.match()));
            } else if (c instanceof RequestMatcher.Never n) {
                out.put("never", n.why());
            } else if (c instanceof RequestMatcher.All nested) {
                array(out, "all").add(match(nested));
            } else {
                array(out, "other").add(String.valueOf(c));
            }
        }
        return out;
    }

    static JsonObject string(StringMatcher m) {
        if (m instanceof StringMatcher.Exact e) {
            return new JsonObject().put("exact", e.value()).put("ignoreCase", e.ignoreCase());
        }
        if (m instanceof StringMatcher.Prefix p) {
            return new JsonObject().put("prefix", p.value()).put("ignoreCase", p.ignoreCase());
        }
        if (m instanceof StringMatcher.Regex r) {
            return new JsonObject().put("regex", r.pattern().pattern());
        }
        if (m.isPresence()) {
            return new JsonObject().put("present", true);
        }
        return new JsonObject().put("other", String.valueOf(m));
    }

    static JsonObject action(RouteAction a) {
        if (a instanceof RouteAction.Forward f) {
            return forward(f.action());
        }
        if (a instanceof RouteAction.Redirect r) {
            return new JsonObject().put("type", "redirect").put("uri", r.uri()).put("authority", r.authority())
                    .put("portMode", r.portMode().name()).put("port", r.port()).put("scheme", r.scheme())
                    .put("code", r.code());
        }
        if (a instanceof RouteAction.DirectResponse d) {
            return new JsonObject().put("type", "directResponse").put("status", d.status())
                    .put("bodyBytes", d.body() == null ? 0 : d.body().length());
        }
        return new JsonObject().put("type", String.valueOf(a));
    }

    private static JsonObject forward(ForwardAction f) {
        JsonArray destinations = new JsonArray();
        for (WeightedDestination d : f.destinations()) {
            JsonObject dj = new JsonObject().put("cluster", d.cluster().name()).put("weight", d.weight());
            putOps(dj, "requestHeaders", d.requestOps());
            putOps(dj, "responseHeaders", d.responseOps());
            if (d.authorityRewrite() != null) {
                dj.put("authorityRewrite", d.authorityRewrite());
            }
            destinations.add(dj);
        }
        JsonObject out = new JsonObject().put("type", "route").put("destinations", destinations)
                .put("timeout", f.timeout() == null ? null : f.timeout().toString())
                .put("retries", retries(f.retries()));
        if (!f.mirrors().isEmpty()) {
            JsonArray mirrors = new JsonArray();
            for (MirrorPolicy m : f.mirrors()) {
                mirrors.add(new JsonObject().put("cluster", m.cluster().name()).put("percentage", m.percentage()));
            }
            out.put("mirrors", mirrors);
        }
        return out;
    }

    private static JsonObject retries(RetryPolicy r) {
        return new JsonObject().put("attempts", r.attempts())
                .put("perTryTimeout", r.perTryTimeout() == null ? null : r.perTryTimeout().toString())
                .put("retryOn", new JsonArray(new ArrayList<>(new TreeSet<>(r.retryOn()))))
                .put("retriableStatusCodes", new JsonArray(new ArrayList<>(new TreeSet<>(r.retriableStatusCodes()))));
    }

    private static JsonObject rewrite(PathRewrite p) {
        if (p instanceof PathRewrite.Prefix pr) {
            return new JsonObject().put("prefix", pr.replacement());
        }
        if (p instanceof PathRewrite.Whole w) {
            return new JsonObject().put("uri", w.replacement());
        }
        if (p instanceof PathRewrite.Regex r) {
            return new JsonObject().put("regex", r.pattern().pattern()).put("substitution", r.replacement());
        }
        return new JsonObject().put("other", String.valueOf(p));
    }

    private static void putOps(JsonObject out, String field, HeaderOps ops) {
        if (ops == null || ops.isEmpty()) {
            return;
        }
        out.put(field, new JsonObject().put("set", new JsonObject(new java.util.LinkedHashMap<String, Object>(ops.set())))
                .put("add", new JsonObject(new java.util.LinkedHashMap<String, Object>(ops.add())))
                .put("remove", new JsonArray(new ArrayList<>(ops.remove()))));
    }

    private static JsonObject object(JsonObject parent, String field) {
        JsonObject o = parent.getJsonObject(field);
        if (o == null) {
            o = new JsonObject();
            parent.put(field, o);
        }
        return o;
    }

    private static JsonArray array(JsonObject parent, String field) {
        JsonArray a = parent.getJsonArray(field);
        if (a == null) {
            a = new JsonArray();
            parent.put(field, a);
        }
        return a;
    }
}

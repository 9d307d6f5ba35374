package dev.meshgate.gateway.route;

import com.google.re2j.PatternSyntaxException;
import dev.meshgate.config.model.networking.Abort;
import dev.meshgate.config.model.networking.CorsPolicy;
import dev.meshgate.config.model.networking.Delay;
import dev.meshgate.config.model.networking.Destination;
import dev.meshgate.config.model.networking.HTTPFaultInjection;
import dev.meshgate.config.model.networking.HTTPMatchRequest;
import dev.meshgate.config.model.networking.HTTPMirrorPolicy;
import dev.meshgate.config.model.networking.HTTPRedirect;
import dev.meshgate.config.model.networking.HTTPRetry;
import dev.meshgate.config.model.networking.HTTPRewrite;
import dev.meshgate.config.model.networking.HTTPRoute;
import dev.meshgate.config.model.networking.HTTPRouteDestination;
import dev.meshgate.config.model.networking.HeaderOperations;
import dev.meshgate.config.model.networking.Headers;
import dev.meshgate.config.model.networking.StringMatch;
import dev.meshgate.gateway.exchange.HeaderOps;
import io.vertx.core.buffer.Buffer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Translates one HTTPRoute paired with one of its matches into a {@link CompiledRoute}, following
 * pilot/pkg/networking/core/route/route.go ({@code translateRoute}). Problems that validation should have caught
 * (a regex that does not compile, a route with no action) drop the route with a note instead of failing.
 */
final class HttpRouteTranslator {

    /** Header keys Istio ignores in {@code headers}/{@code withoutHeaders}: they have dedicated fields. */
    private static final Set<String> RESERVED_HEADER_KEYS = Set.of("uri", "scheme", "method", "authority");
    private static final String CLAIM_PREFIX = "@request.auth.claims";

    private final String vsNamespace;
    private final int listenerPort;
    private final Consumer<String> notes;
    private final String where;

    /** @param where e.g. {@code VirtualService default/reviews spec.http[0]}, prefixed to notes */
    HttpRouteTranslator(String vsNamespace, int listenerPort, Consumer<String> notes, String where) {
        this.vsNamespace = vsNamespace;
        this.listenerPort = listenerPort;
        this.notes = notes;
        this.where = where;
    }

    /** @param match null for a route without matches */
    CompiledRoute translate(HTTPRoute http, HTTPMatchRequest match) {
        try {
            return doTranslate(http, match);
        } catch (PatternSyntaxException | IllegalArgumentException e) {
            notes.accept(where + ": route dropped: " + e.getMessage());
            return null;
        }
    }

    private CompiledRoute doTranslate(HTTPRoute http, HTTPMatchRequest match) {
        String name = http.name() == null ? "" : http.name();
        if (match != null && match.name() != null && !match.name().isEmpty()) {
            name = name + "." + match.name();
        }
        List<RequestMatcher> conds = new ArrayList<>();
        boolean catchAll = true;
        StringMatch uri = match == null ? null : match.uri();
        if (uri != null && !uri.isPresenceMatch()) {
            StringMatcher m = stringMatcher(uri, match.ignoreUriCase());
            conds.add(new RequestMatcher.Uri(m));
            if (!(uri.kind() == StringMatch.Type.PREFIX && uri.prefix().equals("/"))) {
                catchAll = false;
            }
        }
        if (match != null) {
            if (match.scheme() != null) {
                conds.add(new RequestMatcher.Scheme(stringMatcher(match.scheme(), false)));
                catchAll = false;
            }
            if (match.method() != null) {
                conds.add(new RequestMatcher.Method(stringMatcher(match.method(), false)));
                catchAll = false;
            }
            if (match.authority() != null) {
                conds.add(new RequestMatcher.Authority(stringMatcher(match.authority(), false)));
                catchAll = false;
            }
            for (Map.Entry<String, StringMatch> e : match.headers().entrySet()) {
                String key = e.getKey().toLowerCase(Locale.ROOT);
                if (RESERVED_HEADER_KEYS.contains(key)) {
                    continue;
                }
                catchAll = false;
                if (key.startsWith(CLAIM_PREFIX)) {
                    conds.add(new RequestMatcher.Never("JWT claim " + key + " needs RequestAuthentication"));
                    continue;
                }
                conds.add(new RequestMatcher.Header(key, headerMatcher(e.getValue())));
            }
            for (Map.Entry<String, StringMatch> e : match.withoutHeaders().entrySet()) {
                String key = e.getKey().toLowerCase(Locale.ROOT);
                if (RESERVED_HEADER_KEYS.contains(key)) {
                    continue;
                }
                catchAll = false;
                if (key.startsWith(CLAIM_PREFIX)) {
                    // no claims are ever present, so "without claim" always holds
                    continue;
                }
                conds.add(new RequestMatcher.WithoutHeader(key, headerMatcher(e.getValue())));
            }
            for (Map.Entry<String, StringMatch> e : match.queryParams().entrySet()) {
                conds.add(new RequestMatcher.QueryParam(e.getKey(), headerMatcher(e.getValue())));
                catchAll = false;
            }
        }
        RequestMatcher matcher = conds.size() == 1 ? conds.get(0) : new RequestMatcher.All(conds);

        RouteAction action;
        PathRewrite rewrite = null;
        String authority = null;
        if (http.redirect() != null) {
            action = redirect(http.redirect());
        } else if (http.directResponse() != null) {
            byte[] body = http.directResponse().body() == null ? new byte[0]
                    : http.directResponse().body().decodedBytes();
            action = new RouteAction.DirectResponse(http.directResponse().status(),
                    body.length == 0 ? null : Buffer.buffer(body));
        } else if (!http.route().isEmpty()) {
            action = forward(http);
            if (action == null) {
                return null;
            }
            rewrite = pathRewrite(http.rewrite(), uri);
            authority = authorityRewrite(http.rewrite(), http.headers());
        } else {
            notes.accept(where + ": route dropped: " + (http.delegate() != null
                    ? "delegate VirtualServices are not supported" : "no route, redirect or directResponse"));
            return null;
        }
        Headers h = http.headers();
        HeaderOps reqOps = h == null ? HeaderOps.NONE : headerOps(h.request());
        HeaderOps respOps = h == null ? HeaderOps.NONE : headerOps(h.response());
        return new CompiledRoute(name, matcher, catchAll, action, rewrite, authority, reqOps, respOps,
                fault(http.fault()), cors(http.corsPolicy()));
    }

    static StringMatcher stringMatcher(StringMatch sm, boolean ignoreCase) {
        return switch (sm.kind()) {
            case EXACT -> StringMatcher.exact(sm.exact(), ignoreCase);
            case PREFIX -> StringMatcher.prefix(sm.prefix(), ignoreCase);
            case REGEX -> StringMatcher.regex(sm.regex());
            case PRESENCE -> StringMatcher.Present.INSTANCE;
        };
    }

    /** Headers and query parameters: {@code {}} and {@code regex: "*"} are presence checks. */
    static StringMatcher headerMatcher(StringMatch sm) {
        if (sm == null || sm.isPresenceMatch()) {
            return StringMatcher.Present.INSTANCE;
        }
        return stringMatcher(sm, false);
    }

    private RouteAction redirect(HTTPRedirect r) {
        RouteAction.PortMode mode = RouteAction.PortMode.KEEP;
        int port = 0;
        if (r.port() != null && r.port() > 0) {
            mode = RouteAction.PortMode.EXPLICIT;
            port = r.port();
        } else if (r.derivePort() == HTTPRedirect.RedirectPortSelection.FROM_REQUEST_PORT) {
            mode = RouteAction.PortMode.EXPLICIT;
            port = listenerPort;
        } else if (r.derivePort() == HTTPRedirect.RedirectPortSelection.FROM_PROTOCOL_DEFAULT) {
            mode = RouteAction.PortMode.PROTOCOL_DEFAULT;
        }
        int code = r.redirectCode();
        if (code != 301 && code != 302 && code != 303 && code != 307 && code != 308) {
            notes.accept(where + ": redirectCode " + code + " is not supported; using 301");
            code = 301;
        }
        return new RouteAction.Redirect(emptyToNull(r.uri()), emptyToNull(r.authority()), mode, port,
                emptyToNull(r.scheme()), code);
    }

    private RouteAction.Forward forward(HTTPRoute http) {
        List<HTTPRouteDestination> in = http.route();
        List<WeightedDestination> out = new ArrayList<>();
        for (HTTPRouteDestination d : in) {
            if (in.size() > 1 && d.weight() <= 0) {
                continue; // Istio drops zero-weight destinations from the weighted cluster list
            }
            Headers h = d.headers();
            HeaderOps reqOps = h == null ? HeaderOps.NONE : headerOps(h.request());
            HeaderOps respOps = h == null ? HeaderOps.NONE : headerOps(h.response());
            String auth = h == null ? null : authorityFromHeaders(h.request());
            int weight = in.size() == 1 ? 100 : d.weight();
            out.add(new WeightedDestination(cluster(d.destination()), weight, reqOps, respOps, auth));
        }
        if (out.isEmpty()) {
            notes.accept(where + ": route dropped: every destination has weight 0");
            return null;
        }
        Duration timeout = http.timeout() == null || http.timeout().isZero() ? null : http.timeout();
        List<MirrorPolicy> mirrors = new ArrayList<>();
        if (http.mirror() != null) {
            double pct = http.mirrorPercentageOrDefault().value();
            if (pct > 0) {
                mirrors.add(new MirrorPolicy(cluster(http.mirror()), Math.min(100.0, pct)));
            }
        }
        for (HTTPMirrorPolicy mp : http.mirrors()) {
            double pct = mp.percentageOrDefault().value();
            if (mp.destination() != null && pct > 0) {
                mirrors.add(new MirrorPolicy(cluster(mp.destination()), Math.min(100.0, pct)));
            }
        }
        return RouteAction.Forward.of(new ForwardAction(out, timeout, retries(http.retries()), mirrors));
    }

    ClusterKey cluster(Destination d) {
        String host = HostNames.resolveShortName(d.host(), vsNamespace);
        int port = d.port() == null ? 0 : d.port().number();
        return new ClusterKey(host, d.subset() == null ? "" : d.subset(), port);
    }

    /** Istio's retry translation (route/retry/retry.go): absent = the default policy; attempts 0 = none. */
    static RetryPolicy retries(HTTPRetry r) {
        if (r == null) {
            return RetryPolicy.ISTIO_DEFAULT;
        }
        if (r.attempts() <= 0) {
            return RetryPolicy.NONE;
        }
        Set<String> on = new HashSet<>();
        Set<Integer> codes = new HashSet<>();
        for (String tok : r.retryOnOrDefault().split(",")) {
            String t = tok.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (t.chars().allMatch(Character::isDigit)) {
                codes.add(Integer.parseInt(t));
                on.add("retriable-status-codes");
            } else {
                on.add(t);
            }
        }
        return new RetryPolicy(r.attempts(), r.perTryTimeout(), on, codes, r.backoffOrDefault(),
                r.retryIgnorePreviousHostsOrDefault());
    }

    /** Envoy prefix_rewrite: the matched prefix when the match was a prefix (no uri match = prefix "/"). */
    static PathRewrite pathRewrite(HTTPRewrite rw, StringMatch uri) {
        if (rw == null) {
            return null;
        }
        if (rw.uriRegexRewrite() != null && rw.uriRegexRewrite().match() != null) {
            return new PathRewrite.Regex(com.google.re2j.Pattern.compile(rw.uriRegexRewrite().match()),
                    PathRewrite.Regex.toJavaReplacement(
                            rw.uriRegexRewrite().rewrite() == null ? "" : rw.uriRegexRewrite().rewrite()));
        }
        if (rw.uri() == null || rw.uri().isEmpty()) {
            return null;
        }
        if (uri == null || uri.isPresenceMatch()) {
            return new PathRewrite.Prefix(1, rw.uri());
        }
        if (uri.kind() == StringMatch.Type.PREFIX) {
            return new PathRewrite.Prefix(uri.prefix().length(), rw.uri());
        }
        return new PathRewrite.Whole(rw.uri());
    }

    /** rewrite.authority wins over headers.request set host, which wins over add host (Istio's precedence). */
    static String authorityRewrite(HTTPRewrite rw, Headers h) {
        if (rw != null && rw.authority() != null && !rw.authority().isEmpty()) {
            return rw.authority();
        }
        return h == null ? null : authorityFromHeaders(h.request());
    }

    static String authorityFromHeaders(HeaderOperations ops) {
        if (ops == null) {
            return null;
        }
        for (Map<String, String> m : List.of(ops.set(), ops.add())) {
            for (Map.Entry<String, String> e : m.entrySet()) {
                String k = e.getKey().toLowerCase(Locale.ROOT);
                if (k.equals("host") || k.equals(":authority")) {
                    return e.getValue();
                }
            }
        }
        return null;
    }

    /** Pseudo headers and host are not settable as headers (Istio drops them; host becomes a rewrite). */
    static HeaderOps headerOps(HeaderOperations ops) {
        if (ops == null || ops.isEmpty()) {
            return HeaderOps.NONE;
        }
        Map<String, String> set = new HashMap<>();
        Map<String, String> add = new HashMap<>();
        List<String> remove = new ArrayList<>();
        ops.set().forEach((k, v) -> {
            if (settable(k)) {
                set.put(k.toLowerCase(Locale.ROOT), v);
            }
        });
        ops.add().forEach((k, v) -> {
            if (settable(k)) {
                add.put(k.toLowerCase(Locale.ROOT), v);
            }
        });
        for (String k : ops.remove()) {
            if (settable(k)) {
                remove.add(k.toLowerCase(Locale.ROOT));
            }
        }
        return new HeaderOps(set, add, remove);
    }

    private static boolean settable(String name) {
        return !name.startsWith(":") && !name.equalsIgnoreCase("host");
    }

    private Fault fault(HTTPFaultInjection f) {
        if (f == null) {
            return null;
        }
        Duration delay = null;
        double delayPct = 0;
        Delay d = f.delay();
        if (d != null && d.fixedDelay() != null) {
            delay = d.fixedDelay();
            delayPct = d.effectivePercentage().value();
        } else if (d != null && d.exponentialDelay() != null) {
            notes.accept(where + ": fault.delay.exponentialDelay is not supported (Istio does not implement it either)");
        }
        int status = 0;
        int grpc = -1;
        double abortPct = 0;
        Abort a = f.abort();
        if (a != null) {
            abortPct = a.percentageOrDefault().value();
            if (a.httpStatus() != null && a.httpStatus() > 0) {
                status = a.httpStatus();
            } else if (a.grpcStatus() != null) {
                grpc = GrpcStatus.code(a.grpcStatus());
            }
        }
        if (delay == null && status == 0 && grpc < 0) {
            return null;
        }
        return new Fault(delay, delayPct, status, grpc, abortPct);
    }

    private static Cors cors(CorsPolicy c) {
        if (c == null) {
            return null;
        }
        List<StringMatcher> origins = new ArrayList<>();
        for (StringMatch sm : c.allowOrigins()) {
            origins.add(headerMatcher(sm));
        }
        for (String o : c.allowOrigin()) {
            origins.add(o.equals("*") ? StringMatcher.Present.INSTANCE : StringMatcher.exact(o, false));
        }
        return new Cors(origins, joinOrNull(c.allowMethods()), joinOrNull(c.allowHeaders()),
                joinOrNull(c.exposeHeaders()), c.maxAge() == null ? null : Long.toString(c.maxAge().toSeconds()),
                c.allowCredentials(), c.effectiveUnmatchedPreflights() != CorsPolicy.UnmatchedPreflights.IGNORE);
    }

    private static String joinOrNull(List<String> l) {
        return l.isEmpty() ? null : String.join(",", l);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}

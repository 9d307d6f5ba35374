package dev.meshgate.config.validation;

import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.networking.Abort;
import dev.meshgate.config.model.networking.CorsPolicy;
import dev.meshgate.config.model.networking.Delay;
import dev.meshgate.config.model.networking.HTTPDirectResponse;
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
import dev.meshgate.config.model.networking.L4MatchAttributes;
import dev.meshgate.config.model.networking.RouteDestination;
import dev.meshgate.config.model.networking.StringMatch;
import dev.meshgate.config.model.networking.TCPRoute;
import dev.meshgate.config.model.networking.TLSMatchAttributes;
import dev.meshgate.config.model.networking.TLSRoute;
import dev.meshgate.config.model.networking.VirtualService;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** VirtualService rules of Istio's {@code ValidateVirtualService} and {@code validateHTTPRoute}. */
final class VirtualServiceValidator implements KindValidator<VirtualService> {

    static final String JWT_CLAIM_PREFIX = "@request.auth.claims";

    static final Set<String> RETRY_ON = Set.of(
            "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "retriable-4xx",
            "refused-stream", "retriable-status-codes", "retriable-headers", "envoy-ratelimited",
            "http3-post-connect-failure", "cancelled", "deadline-exceeded", "internal", "resource-exhausted",
            "unavailable");

    static final Set<String> HTTP_METHODS = Set.of(
            "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE");

    static final Set<Integer> REDIRECT_CODES = Set.of(301, 302, 303, 307, 308);

    static final Set<String> GRPC_STATUS = Set.of(
            "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
            "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
            "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED");

    private static final int KB = 1024;
    private static final int MB = 1024 * KB;

    @Override
    public Class<VirtualService> specType() {
        return VirtualService.class;
    }

    @Override
    public void validate(Resource<VirtualService> resource, FieldContext spec) {
        VirtualService vs = resource.spec();
        boolean delegate = vs.hosts().isEmpty();
        if (delegate) {
            if (!vs.gateways().isEmpty()) {
                spec.error("gateways", "a delegate VirtualService (one without hosts) must not name gateways");
            }
            if (!vs.tls().isEmpty()) {
                spec.error("tls", "a delegate VirtualService (one without hosts) cannot have tls routes");
            }
            if (!vs.tcp().isEmpty()) {
                spec.error("tcp", "a delegate VirtualService (one without hosts) cannot have tcp routes");
            }
        }
        NetworkingRules.gatewayNames(spec.field("gateways"), vs.gateways());
        boolean appliesToGateway = !vs.gateways().isEmpty() && !vs.gateways().contains(NetworkingRules.MESH);
        boolean appliesToMesh = !appliesToGateway;

        boolean hostsValid = true;
        for (int i = 0; i < vs.hosts().size(); i++) {
            String host = vs.hosts().get(i);
            FieldContext hi = spec.field("hosts").index(i);
            if (HostNames.isIp(host)) {
                continue;
            }
            String problem = HostNames.checkWildcardDomain(host);
            if (problem != null) {
                hi.error(problem);
                hostsValid = false;
            } else if (appliesToMesh && host.equals("*")) {
                hi.error("the wildcard host \"*\" is only allowed for VirtualServices bound to gateways, not to mesh");
                hostsValid = false;
            }
        }
        if (hostsValid) {
            for (int i = 0; i < vs.hosts().size(); i++) {
                for (int j = i + 1; j < vs.hosts().size(); j++) {
                    if (HostNames.intersects(vs.hosts().get(i), vs.hosts().get(j))) {
                        spec.field("hosts").index(j).error("host \"" + vs.hosts().get(j) + "\" overlaps host \""
                                + vs.hosts().get(i) + "\" of the same VirtualService");
                    }
                }
            }
        }
        if (vs.http().isEmpty() && vs.tcp().isEmpty() && vs.tls().isEmpty()) {
            spec.error("at least one of http, tcp or tls routes is required");
        }
        for (int i = 0; i < vs.http().size(); i++) {
            validateHttpRoute(vs.http().get(i), spec.field("http").index(i), delegate, appliesToGateway);
        }
        for (int i = 0; i < vs.tls().size(); i++) {
            validateTlsRoute(vs.tls().get(i), spec.field("tls").index(i), vs, appliesToGateway);
        }
        for (int i = 0; i < vs.tcp().size(); i++) {
            validateTcpRoute(vs.tcp().get(i), spec.field("tcp").index(i));
        }
        NetworkingRules.exportTo(spec.field("exportTo"), resource.namespace(), vs.exportTo(), false);
        warnUnreachable(vs.http(), spec.field("http"));
    }

    private static void validateHttpRoute(HTTPRoute r, FieldContext at, boolean inDelegate, boolean appliesToGateway) {
        boolean root = r.delegate() != null;
        if (inDelegate && root) {
            at.error("delegate", "a delegate VirtualService cannot delegate again (only one level is supported)");
        }
        List<String> actions = new ArrayList<>();
        if (!r.route().isEmpty()) {
            actions.add("route");
        }
        if (r.redirect() != null) {
            actions.add("redirect");
        }
        if (r.directResponse() != null) {
            actions.add("directResponse");
        }
        if (root) {
            actions.add("delegate");
        }
        if (actions.isEmpty()) {
            at.error("one of route, redirect, directResponse or delegate is required");
        } else if (actions.size() > 1) {
            at.error("only one of route, redirect, directResponse or delegate may be set, found "
                    + String.join(" and ", actions));
        }
        boolean local = r.redirect() != null || r.directResponse() != null;
        String localName = r.redirect() != null ? "redirect" : "directResponse";
        if (r.rewrite() != null && local) {
            at.error("rewrite", "cannot be combined with " + localName);
        }
        if (r.fault() != null && local) {
            at.error("fault", "cannot be combined with " + localName);
        }
        if (r.delegate() != null && Checks.isBlank(r.delegate().name())) {
            at.field("delegate").error("name", "is required");
        }

        for (int m = 0; m < r.match().size(); m++) {
            validateMatch(r.match().get(m), at.field("match").index(m), root || inDelegate, appliesToGateway);
        }
        headerOperations(at.field("headers"), r.headers());
        authorityOnce(at, r);
        cors(at.field("corsPolicy"), r.corsPolicy());
        fault(at.field("fault"), r.fault());

        if (r.mirror() != null && !r.mirrors().isEmpty()) {
            at.error("mirrors", "cannot be combined with mirror; list every shadow destination under mirrors");
        }
        if (r.mirrorPercent() != null) {
            at.warn("mirrorPercent", "is deprecated; use mirrorPercentage");
            Checks.percent(at.field("mirrorPercent"), r.mirrorPercent());
        }
        if (r.mirrorPercentage() != null) {
            Checks.percentage(at.field("mirrorPercentage").field("value"), r.mirrorPercentage().value());
        }
        if (r.mirror() != null) {
            NetworkingRules.destination(at.field("mirror"), r.mirror());
        }
        for (int i = 0; i < r.mirrors().size(); i++) {
            HTTPMirrorPolicy mp = r.mirrors().get(i);
            FieldContext mi = at.field("mirrors").index(i);
            NetworkingRules.destination(mi.field("destination"), mp.destination());
            if (mp.percentage() != null) {
                Checks.percentage(mi.field("percentage").field("value"), mp.percentage().value());
            }
        }
        redirect(at.field("redirect"), r.redirect(), r.match());
        directResponse(at.field("directResponse"), r.directResponse());
        retries(at.field("retries"), r.retries());
        rewrite(at.field("rewrite"), r.rewrite());
        httpDestinations(at.field("route"), r.route());
        Checks.duration(at.field("timeout"), r.timeout());
    }

    private static void validateMatch(HTTPMatchRequest m, FieldContext at, boolean delegating,
                                      boolean appliesToGateway) {
        stringMatch(at.field("uri"), m.uri(), false, delegating);
        stringMatch(at.field("scheme"), m.scheme(), false, delegating);
        stringMatch(at.field("method"), m.method(), false, delegating);
        stringMatch(at.field("authority"), m.authority(), false, delegating);
        headerMatches(at.field("headers"), m.headers(), delegating, appliesToGateway);
        headerMatches(at.field("withoutHeaders"), m.withoutHeaders(), delegating, appliesToGateway);
        for (Map.Entry<String, StringMatch> q : m.queryParams().entrySet()) {
            FieldContext qi = at.field("queryParams").key(q.getKey());
            if (Checks.isBlank(q.getKey())) {
                qi.error("query parameter name must not be empty");
            }
            stringMatch(qi, q.getValue(), true, delegating);
        }
        if (m.ignoreUriCase() && m.uri() != null && m.uri().regex() != null) {
            at.warn("ignoreUriCase", "has no effect on a regex uri match; use (?i) in the regex");
        }
        if (m.port() != 0) {
            Checks.port(at.field("port"), m.port());
        }
        Checks.labels(at.field("sourceLabels"), m.sourceLabels());
        NetworkingRules.gatewayNames(at.field("gateways"), m.gateways());
        if (!Checks.isBlank(m.sourceNamespace()) && !HostNames.isLowerDnsLabel(m.sourceNamespace())) {
            at.error("sourceNamespace", "invalid namespace \"" + m.sourceNamespace() + "\"");
        }
    }

    private static void stringMatch(FieldContext at, StringMatch m, boolean presence, boolean delegating) {
        if (m == null) {
            return;
        }
        if (delegating && m.regex() != null && m.alternativesSet() == 1) {
            at.error("regex", "regex matches cannot be used with delegation (delegate matches must be "
                    + "comparable with the root's)");
            return;
        }
        NetworkingRules.stringMatch(at, m, presence);
    }

    private static void headerMatches(FieldContext at, Map<String, StringMatch> headers, boolean delegating,
                                      boolean appliesToGateway) {
        for (Map.Entry<String, StringMatch> h : headers.entrySet()) {
            String name = h.getKey();
            FieldContext hi = at.key(name);
            if (name.startsWith(JWT_CLAIM_PREFIX)) {
                if (!appliesToGateway) {
                    hi.error("JWT claim routing (" + name + ") is only supported on gateways; the VirtualService "
                            + "binds to mesh");
                }
            } else if (!Checks.isHeaderName(name)) {
                hi.error("invalid header name \"" + name + "\": use letters, digits, '-' and '_'");
            } else if (!name.equals(name.toLowerCase(Locale.ROOT))) {
                hi.warn("header names are matched case-insensitively; write \"" + name.toLowerCase(Locale.ROOT)
                        + "\"");
            }
            stringMatch(hi, h.getValue(), true, delegating);
        }
    }

    /** Request set/add may rewrite the authority via host/:authority; other pseudo headers are Envoy's alone. */
    static void headerOperations(FieldContext at, Headers headers) {
        if (headers == null) {
            return;
        }
        ops(at.field("request"), headers.request(), true);
        ops(at.field("response"), headers.response(), false);
    }

    private static void ops(FieldContext at, HeaderOperations ops, boolean request) {
        if (ops == null) {
            return;
        }
        for (String op : List.of("set", "add")) {
            Map<String, String> m = op.equals("set") ? ops.set() : ops.add();
            for (Map.Entry<String, String> e : m.entrySet()) {
                FieldContext ei = at.field(op).key(e.getKey());
                String problem = request ? requestSetProblem(e.getKey()) : removeOrResponseProblem(e.getKey());
                if (problem != null) {
                    ei.error(problem);
                }
                if (!Checks.isHeaderValue(e.getValue())) {
                    ei.error("header value contains control characters");
                }
            }
        }
        for (int i = 0; i < ops.remove().size(); i++) {
            String problem = removeOrResponseProblem(ops.remove().get(i));
            if (problem != null) {
                at.field("remove").index(i).error(problem);
            }
        }
    }

    private static String requestSetProblem(String name) {
        if (Checks.isBlank(name)) {
            return "header name must not be empty";
        }
        if (name.startsWith(":") && !name.equalsIgnoreCase(":authority")) {
            return "pseudo header \"" + name + "\" cannot be set; use rewrite";
        }
        return null;
    }

    private static String removeOrResponseProblem(String name) {
        if (Checks.isBlank(name)) {
            return "header name must not be empty";
        }
        if (name.equalsIgnoreCase("host")) {
            return "the Host header cannot be changed here; use rewrite.authority";
        }
        if (name.startsWith(":")) {
            return "pseudo header \"" + name + "\" cannot be changed";
        }
        return null;
    }

    private static void authorityOnce(FieldContext at, HTTPRoute r) {
        List<String> where = new ArrayList<>();
        if (r.rewrite() != null && !Checks.isBlank(r.rewrite().authority())) {
            where.add("rewrite.authority");
        }
        if (r.headers() != null && r.headers().request() != null) {
            for (String k : r.headers().request().set().keySet()) {
                if (k.equalsIgnoreCase("host") || k.equalsIgnoreCase(":authority")) {
                    where.add("headers.request.set[" + k + "]");
                }
            }
            for (String k : r.headers().request().add().keySet()) {
                if (k.equalsIgnoreCase("host") || k.equalsIgnoreCase(":authority")) {
                    where.add("headers.request.add[" + k + "]");
                }
            }
        }
        if (where.size() > 1) {
            at.error("the authority is set more than once (" + String.join(", ", where) + ")");
        }
    }

    private static void cors(FieldContext at, CorsPolicy cors) {
        if (cors == null) {
            return;
        }
        if (!cors.allowOrigin().isEmpty()) {
            at.warn("allowOrigin", "is deprecated; use allowOrigins (a list of StringMatch)");
        }
        for (int i = 0; i < cors.allowOrigins().size(); i++) {
            StringMatch o = cors.allowOrigins().get(i);
            FieldContext oi = at.field("allowOrigins").index(i);
            if (o.alternativesSet() == 1 && o.value().isEmpty()) {
                oi.error("an empty origin matches nothing; use exact, prefix or regex with a value");
            } else {
                NetworkingRules.stringMatch(oi, o, false);
            }
        }
        for (int i = 0; i < cors.allowMethods().size(); i++) {
            String method = cors.allowMethods().get(i);
            if (!HTTP_METHODS.contains(method) && !"*".equals(method)) {
                at.field("allowMethods").index(i).error("\"" + method + "\" is not a supported HTTP method");
            }
        }
        corsHeaderNames(at.field("allowHeaders"), cors.allowHeaders());
        corsHeaderNames(at.field("exposeHeaders"), cors.exposeHeaders());
        if (cors.maxAge() != null) {
            Checks.duration(at.field("maxAge"), cors.maxAge());
            if (cors.maxAge().getNano() != 0) {
                at.error("maxAge", "must be a whole number of seconds (Access-Control-Max-Age has seconds)");
            }
        }
    }

    private static void corsHeaderNames(FieldContext at, List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (!"*".equals(n) && !Checks.isHeaderName(n)) {
                at.index(i).error("invalid header name \"" + n + "\"");
            }
        }
    }

    private static void fault(FieldContext at, HTTPFaultInjection fault) {
        if (fault == null) {
            return;
        }
        if (fault.abort() == null && fault.delay() == null) {
            at.error("at least one of delay or abort is required");
        }
        Abort abort = fault.abort();
        if (abort != null) {
            FieldContext ab = at.field("abort");
            if (abort.percentage() != null) {
                Checks.percentage(ab.field("percentage").field("value"), abort.percentage().value());
            }
            int types = (abort.httpStatus() != null ? 1 : 0) + (abort.grpcStatus() != null ? 1 : 0)
                    + (abort.http2Error() != null ? 1 : 0);
            if (types > 1) {
                ab.error("only one of httpStatus, grpcStatus or http2Error may be set");
            } else if (abort.httpStatus() != null) {
                httpStatus(ab.field("httpStatus"), abort.httpStatus());
            } else if (abort.grpcStatus() != null) {
                if (!GRPC_STATUS.contains(abort.grpcStatus())) {
                    ab.error("grpcStatus", "unknown gRPC status \"" + abort.grpcStatus()
                            + "\"; use a status name such as UNAVAILABLE or NOT_FOUND");
                }
            } else if (abort.http2Error() != null) {
                ab.error("http2Error", "HTTP/2 error aborts are not supported (nor by Istio)");
            } else {
                ab.warn("abort has no httpStatus or grpcStatus; no request is aborted");
            }
        }
        Delay delay = fault.delay();
        if (delay != null) {
            FieldContext dl = at.field("delay");
            if (delay.percentage() != null) {
                Checks.percentage(dl.field("percentage").field("value"), delay.percentage().value());
            }
            if (delay.percent() != 0) {
                dl.warn("percent", "is deprecated; use percentage");
                Checks.percent(dl.field("percent"), delay.percent());
            }
            if (delay.exponentialDelay() != null) {
                dl.error("exponentialDelay", "is not supported (nor by Istio); use fixedDelay");
            } else if (delay.fixedDelay() == null) {
                dl.error("fixedDelay", "is required");
            } else {
                Checks.duration(dl.field("fixedDelay"), delay.fixedDelay());
            }
        }
    }

    private static void httpStatus(FieldContext at, int status) {
        if (status < 200 || status > 599) {
            at.error("HTTP status " + status + " must be in the range 200..599");
        }
    }

    private static void redirect(FieldContext at, HTTPRedirect redirect, List<HTTPMatchRequest> matches) {
        if (redirect == null) {
            return;
        }
        if (Checks.isBlank(redirect.uri()) && Checks.isBlank(redirect.authority()) && redirect.port() == null
                && redirect.derivePort() == null && Checks.isBlank(redirect.scheme())
                && Checks.isBlank(redirect.prefixRewrite())) {
            at.error("at least one of uri, authority, scheme, port, derivePort or prefixRewrite is required");
        }
        if (redirect.redirectCode() != null && !REDIRECT_CODES.contains(redirect.redirectCode())) {
            at.error("redirectCode", "redirect code " + redirect.redirectCode()
                    + " is not supported; use 301, 302, 303, 307 or 308");
        }
        if (!Checks.isBlank(redirect.scheme()) && !redirect.scheme().equals("http")
                && !redirect.scheme().equals("https")) {
            at.error("scheme", "must be \"http\" or \"https\"");
        }
        if (redirect.port() != null && redirect.derivePort() != null) {
            at.error("only one of port or derivePort may be set");
        } else if (redirect.port() != null) {
            Checks.port(at.field("port"), redirect.port());
        }
        if (!Checks.isBlank(redirect.uri()) && !Checks.isBlank(redirect.prefixRewrite())) {
            at.error("only one of uri or prefixRewrite may be set");
        }
        if (!Checks.isBlank(redirect.prefixRewrite())) {
            for (HTTPMatchRequest m : matches) {
                if (m.uri() == null || m.uri().prefix() == null) {
                    at.error("prefixRewrite", "needs every match of the route to be a uri prefix match");
                    break;
                }
            }
        }
    }

    private static void directResponse(FieldContext at, HTTPDirectResponse dr) {
        if (dr == null) {
            return;
        }
        if (dr.status() == 0) {
            at.error("status", "is required");
        } else {
            httpStatus(at.field("status"), dr.status());
        }
        if (dr.body() != null) {
            FieldContext body = at.field("body");
            long size = 0;
            if (dr.body().string() != null && dr.body().bytes() != null) {
                body.error("only one of string or bytes may be set");
            } else if (dr.body().string() != null) {
                size = dr.body().string().length();
            } else if (dr.body().bytes() != null) {
                try {
                    size = Base64.getMimeDecoder().decode(dr.body().bytes()).length;
                } catch (IllegalArgumentException e) {
                    body.error("bytes", "is not valid base64");
                }
            }
            if (size > MB) {
                body.error("direct response bodies must be smaller than 1MB");
            } else if (size > 100 * KB) {
                body.warn("large direct response body (" + size / KB + "KB); every copy is kept in memory");
            }
        }
    }

    private static void retries(FieldContext at, HTTPRetry retry) {
        if (retry == null) {
            return;
        }
        if (retry.attempts() < 0) {
            at.error("attempts", "must be >= 0");
        }
        if (retry.attempts() == 0 && (retry.perTryTimeout() != null || !Checks.isBlank(retry.retryOn())
                || retry.retryRemoteLocalities() != null)) {
            at.error("attempts", "is 0 (retries disabled) but perTryTimeout, retryOn or retryRemoteLocalities is set");
        }
        Checks.duration(at.field("perTryTimeout"), retry.perTryTimeout());
        Checks.duration(at.field("backoff"), retry.backoff());
        if (!Checks.isBlank(retry.retryOn())) {
            for (String token : retry.retryOn().split(",", -1)) {
                if (!RETRY_ON.contains(token) && !isStatusCode(token)) {
                    at.error("retryOn", "\"" + token + "\" is not a retry condition or an HTTP status code");
                }
            }
        }
    }

    private static boolean isStatusCode(String token) {
        if (!token.matches("[0-9]{3}")) {
            return false;
        }
        int code = Integer.parseInt(token);
        return code >= 100 && code <= 599;
    }

    private static void rewrite(FieldContext at, HTTPRewrite rw) {
        if (rw == null) {
            return;
        }
        boolean uri = !Checks.isBlank(rw.uri());
        if (uri && rw.uriRegexRewrite() != null) {
            at.error("only one of uri or uriRegexRewrite may be set");
        }
        if (!uri && rw.uriRegexRewrite() == null && Checks.isBlank(rw.authority())) {
            at.error("at least one of uri, uriRegexRewrite or authority is required");
        }
        if (rw.uriRegexRewrite() != null) {
            FieldContext rr = at.field("uriRegexRewrite");
            if (Checks.isBlank(rw.uriRegexRewrite().match())) {
                rr.error("match", "is required");
            } else {
                Checks.regex(rr.field("match"), rw.uriRegexRewrite().match());
            }
            if (rw.uriRegexRewrite().rewrite() == null) {
                rr.error("rewrite", "is required");
            }
        }
    }

    private static void httpDestinations(FieldContext at, List<HTTPRouteDestination> route) {
        long total = 0;
        for (int i = 0; i < route.size(); i++) {
            HTTPRouteDestination d = route.get(i);
            FieldContext di = at.index(i);
            NetworkingRules.destination(di.field("destination"), d.destination());
            headerOperations(di.field("headers"), d.headers());
            if (d.weight() < 0) {
                di.error("weight", "must be >= 0");
            }
            total += Math.max(0, d.weight());
        }
        if (route.size() > 1 && total == 0) {
            at.error("the weights of several destinations must not all be 0");
        }
    }

    private static void l4Destinations(FieldContext at, List<RouteDestination> route) {
        long total = 0;
        for (int i = 0; i < route.size(); i++) {
            RouteDestination d = route.get(i);
            FieldContext di = at.index(i);
            NetworkingRules.destination(di.field("destination"), d.destination());
            if (d.weight() < 0) {
                di.error("weight", "must be >= 0");
            }
            total += Math.max(0, d.weight());
        }
        if (route.size() > 1 && total == 0) {
            at.error("the weights of several destinations must not all be 0");
        }
    }

    private static void validateTlsRoute(TLSRoute r, FieldContext at, VirtualService vs, boolean appliesToGateway) {
        if (r.match().isEmpty()) {
            at.error("match", "at least one match (with sniHosts) is required");
        }
        for (int i = 0; i < r.match().size(); i++) {
            TLSMatchAttributes m = r.match().get(i);
            FieldContext mi = at.field("match").index(i);
            if (m.sniHosts().isEmpty()) {
                mi.error("sniHosts", "at least one SNI host is required");
            }
            for (int s = 0; s < m.sniHosts().size(); s++) {
                sniHost(mi.field("sniHosts").index(s), m.sniHosts().get(s), vs);
            }
            subnets(mi.field("destinationSubnets"), m.destinationSubnets());
            if (m.port() != 0) {
                Checks.port(mi.field("port"), m.port());
            }
            Checks.labels(mi.field("sourceLabels"), m.sourceLabels());
            NetworkingRules.gatewayNames(mi.field("gateways"), m.gateways());
        }
        if (r.route().isEmpty()) {
            at.error("route", "at least one destination is required");
        }
        l4Destinations(at.field("route"), r.route());
    }

    private static void sniHost(FieldContext at, String sni, VirtualService vs) {
        if (HostNames.isIp(sni)) {
            at.warn("SNI host \"" + sni + "\" is an IP address; clients do not send IPs as SNI");
            return;
        }
        String problem = HostNames.checkWildcardDomain(sni);
        if (problem != null) {
            at.error(problem);
            return;
        }
        for (String host : vs.hosts()) {
            if (HostNames.subsetOf(sni, host)) {
                return;
            }
        }
        at.error("SNI host \"" + sni + "\" is not within the VirtualService hosts " + vs.hosts());
    }

    private static void validateTcpRoute(TCPRoute r, FieldContext at) {
        for (int i = 0; i < r.match().size(); i++) {
            L4MatchAttributes m = r.match().get(i);
            FieldContext mi = at.field("match").index(i);
            subnets(mi.field("destinationSubnets"), m.destinationSubnets());
            if (m.port() != 0) {
                Checks.port(mi.field("port"), m.port());
            }
            Checks.labels(mi.field("sourceLabels"), m.sourceLabels());
            NetworkingRules.gatewayNames(mi.field("gateways"), m.gateways());
        }
        if (r.route().isEmpty()) {
            at.error("route", "at least one destination is required");
        }
        l4Destinations(at.field("route"), r.route());
    }

    private static void subnets(FieldContext at, List<String> subnets) {
        for (int i = 0; i < subnets.size(); i++) {
            String problem = HostNames.checkIpOrCidr(subnets.get(i));
            if (problem != null) {
                at.index(i).error(problem);
            }
        }
    }

    /**
     * Istio's unreachable-rule warnings: a match-less route catches everything, so later routes never run; a
     * match written twice only works the first time.
     */
    private static void warnUnreachable(List<HTTPRoute> routes, FieldContext at) {
        int catchAll = -1;
        Map<HTTPMatchRequest, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < routes.size(); i++) {
            HTTPRoute r = routes.get(i);
            if (catchAll >= 0) {
                at.index(i).warn("unreachable: spec.http[" + catchAll + "] has no match and takes every request");
                continue;
            }
            if (r.match().isEmpty()) {
                catchAll = i;
                continue;
            }
            for (int m = 0; m < r.match().size(); m++) {
                HTTPMatchRequest key = withoutName(r.match().get(m));
                Integer first = seen.putIfAbsent(key, i);
                if (first != null && first != i) {
                    at.index(i).field("match").index(m).warn("never used: the same match is in spec.http["
                            + first + "]");
                }
            }
        }
    }

    private static HTTPMatchRequest withoutName(HTTPMatchRequest m) {
        return new HTTPMatchRequest(null, m.uri(), m.scheme(), m.method(), m.authority(), m.headers(), m.port(),
                m.sourceLabels(), m.gateways(), m.queryParams(), m.ignoreUriCase(), m.withoutHeaders(),
                m.sourceNamespace(), m.statPrefix());
    }
}

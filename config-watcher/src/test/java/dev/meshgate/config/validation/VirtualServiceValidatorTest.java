package dev.meshgate.config.validation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VirtualServiceValidatorTest {

    @Test
    void goodVirtualServiceHasNoFindings() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: reviews
                spec:
                  hosts: ["reviews.example.com", "*.reviews.example.org"]
                  gateways: ["edge/public", "mesh"]
                  http:
                  - name: jason
                    match:
                    - headers:
                        end-user: {exact: jason}
                        x-present: {}
                        x-any: {regex: "*"}
                      uri: {regex: "/api/v[0-9]+/.*"}
                      queryParams:
                        debug: {exact: ""}
                    route:
                    - destination: {host: reviews, subset: v2}
                      weight: 80
                    - destination: {host: reviews, subset: v3, port: {number: 9080}}
                      weight: 20
                    timeout: 2s
                    retries: {attempts: 3, perTryTimeout: 500ms, retryOn: "5xx,reset,503"}
                    mirror: {host: shadow}
                    mirrorPercentage: {value: 12.5}
                    fault:
                      abort: {httpStatus: 503, percentage: {value: 0.5}}
                      delay: {fixedDelay: 7s, percentage: {value: 10}}
                    corsPolicy:
                      allowOrigins: [{exact: "https://a.example.com"}, {regex: "https://.*[.]example[.]com"}]
                      allowMethods: [GET, POST]
                      allowHeaders: [x-custom]
                      maxAge: 24h
                    headers:
                      request:
                        set: {x-route: jason}
                        remove: [x-debug]
                  - match: [{uri: {prefix: /old}}]
                    redirect: {uri: /new, redirectCode: 308}
                  - match: [{uri: {exact: /health}}]
                    directResponse: {status: 200, body: {string: ok}}
                  - rewrite: {uriRegexRewrite: {match: "^/service/([^/]+)(/.*)$", rewrite: "/\\\\2/\\\\1"}}
                    route:
                    - destination: {host: reviews}
                """;
        assertEquals(List.of(), Golden.fieldFindings("vs.yaml", yaml));
    }

    @Test
    void httpRouteRules() {
        assertEquals(List.of(
                "ERROR reviews.yaml:11: VirtualService default/reviews: spec.http[0]: only one of route, redirect, directResponse or delegate may be set, found route and redirect",
                "ERROR reviews.yaml:14: VirtualService default/reviews: spec.http[0].match[0].uri.regex: invalid RE2 regex \"/api/(v1\": missing closing )",
                "WARNING reviews.yaml:16: VirtualService default/reviews: spec.http[0].match[0].headers[X-User]: header names are matched case-insensitively; write \"x-user\"",
                "ERROR reviews.yaml:18: VirtualService default/reviews: spec.http[0].match[0].headers[bad header]: invalid header name \"bad header\": use letters, digits, '-' and '_'",
                "ERROR reviews.yaml:31: VirtualService default/reviews: spec.http[0].redirect.redirectCode: redirect code 300 is not supported; use 301, 302, 303, 307 or 308",
                "ERROR reviews.yaml:28: VirtualService default/reviews: spec.http[0].route[1].weight: must be >= 0",
                "ERROR reviews.yaml:56: VirtualService default/reviews: spec.http[1].corsPolicy.allowOrigins[0]: an empty origin matches nothing; use exact, prefix or regex with a value",
                "ERROR reviews.yaml:57: VirtualService default/reviews: spec.http[1].corsPolicy.allowOrigins[1].regex: invalid RE2 regex \"https://(a|b\": missing closing )",
                "ERROR reviews.yaml:58: VirtualService default/reviews: spec.http[1].corsPolicy.allowMethods[1]: \"FETCH\" is not a supported HTTP method",
                "ERROR reviews.yaml:53: VirtualService default/reviews: spec.http[1].fault.delay.percentage.value: percentage 120 must be 0 or in the range 0.0001..100",
                "ERROR reviews.yaml:51: VirtualService default/reviews: spec.http[1].fault.delay.fixedDelay: is required",
                "ERROR reviews.yaml:47: VirtualService default/reviews: spec.http[1].mirrors: cannot be combined with mirror; list every shadow destination under mirrors",
                "ERROR reviews.yaml:44: VirtualService default/reviews: spec.http[1].retries.perTryTimeout: duration must be at least 1ms (got 500us)",
                "ERROR reviews.yaml:43: VirtualService default/reviews: spec.http[1].retries.retryOn: \"bogus\" is not a retry condition or an HTTP status code",
                "ERROR reviews.yaml:39: VirtualService default/reviews: spec.http[1].rewrite: at least one of uri, uriRegexRewrite or authority is required",
                "ERROR reviews.yaml:32: VirtualService default/reviews: spec.http[1].route: the weights of several destinations must not all be 0",
                "ERROR reviews.yaml:40: VirtualService default/reviews: spec.http[1].timeout: duration must be at least 1ms (got 0s)",
                "ERROR reviews.yaml:61: VirtualService default/reviews: spec.http[2].rewrite: cannot be combined with directResponse",
                "ERROR reviews.yaml:60: VirtualService default/reviews: spec.http[2].directResponse.status: HTTP status 700 must be in the range 200..599",
                "ERROR reviews.yaml:61: VirtualService default/reviews: spec.http[2].rewrite: only one of uri or uriRegexRewrite may be set",
                "ERROR reviews.yaml:67: VirtualService default/reviews: spec.http[3].match[0].uri: only one of exact, prefix or regex may be set",
                "ERROR reviews.yaml:73: VirtualService default/reviews: spec.http[3].route[0].destination.host: \"*\" is not a valid destination host",
                "WARNING reviews.yaml:59: VirtualService default/reviews: spec.http[2]: unreachable: spec.http[1] has no match and takes every request",
                "WARNING reviews.yaml:66: VirtualService default/reviews: spec.http[3]: unreachable: spec.http[1] has no match and takes every request"),
                Golden.fieldFindings("reviews.yaml", Golden.resource("vs-bad-http.yaml")));
    }

    @Test
    void hostsGatewaysAndDelegates() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: hosts
                spec:
                  hosts: ["*", "a.example.com", "bad_host.example.com"]
                  gateways: ["mesh", "ns/", "Gw"]
                  http:
                  - delegate: {name: child}
                    route:
                    - destination: {host: reviews}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: child
                spec:
                  gateways: [edge/public]
                  http:
                  - match:
                    - uri: {regex: "/v[0-9]"}
                    delegate: {name: grandchild}
                  tcp:
                  - route:
                    - destination: {host: db}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: sni
                spec:
                  hosts: ["*.example.com"]
                  gateways: [edge/public]
                  tls:
                  - match:
                    - sniHosts: ["a.example.com", "a.example.org"]
                      destinationSubnets: ["10.0.0.0/40"]
                    route:
                    - destination: {host: a.example.com, port: {number: 443}}
                  - match: []
                    route: []
                """;
        assertEquals(List.of(
                "ERROR hosts.yaml:7: VirtualService default/hosts: spec.gateways[1]: gateway \"ns/\": namespace and name must not be empty",
                "ERROR hosts.yaml:6: VirtualService default/hosts: spec.hosts[0]: the wildcard host \"*\" is only allowed for VirtualServices bound to gateways, not to mesh",
                "ERROR hosts.yaml:6: VirtualService default/hosts: spec.hosts[2]: host \"bad_host.example.com\" is invalid: label \"bad_host\" is not a DNS-1123 label",
                "ERROR hosts.yaml:9: VirtualService default/hosts: spec.http[0]: only one of route, redirect, directResponse or delegate may be set, found route and delegate",
                "ERROR hosts.yaml:18: VirtualService default/child: spec.gateways: a delegate VirtualService (one without hosts) must not name gateways",
                "ERROR hosts.yaml:23: VirtualService default/child: spec.tcp: a delegate VirtualService (one without hosts) cannot have tcp routes",
                "ERROR hosts.yaml:22: VirtualService default/child: spec.http[0].delegate: a delegate VirtualService cannot delegate again (only one level is supported)",
                "ERROR hosts.yaml:21: VirtualService default/child: spec.http[0].match[0].uri.regex: regex matches cannot be used with delegation (delegate matches must be comparable with the root's)",
                "ERROR hosts.yaml:36: VirtualService default/sni: spec.tls[0].match[0].sniHosts[1]: SNI host \"a.example.org\" is not within the VirtualService hosts [*.example.com]",
                "ERROR hosts.yaml:37: VirtualService default/sni: spec.tls[0].match[0].destinationSubnets[0]: \"10.0.0.0/40\" is not a valid CIDR block",
                "ERROR hosts.yaml:40: VirtualService default/sni: spec.tls[1].match: at least one match (with sniHosts) is required",
                "ERROR hosts.yaml:41: VirtualService default/sni: spec.tls[1].route: at least one destination is required"),
                Golden.fieldFindings("hosts.yaml", yaml));
    }
}

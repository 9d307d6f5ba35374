package dev.meshgate.config.validation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** AuthorizationPolicy, PeerAuthentication and RequestAuthentication rules. */
class SecurityValidatorTest {

    @Test
    void goodPoliciesHaveNoFindings() {
        String yaml = """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: httpbin, namespace: foo}
                spec:
                  selector: {matchLabels: {app: httpbin}}
                  action: ALLOW
                  rules:
                  - from:
                    - source: {principals: ["cluster.local/ns/default/sa/sleep"], ipBlocks: ["10.0.0.0/8"]}
                    to:
                    - operation: {methods: [GET], paths: ["/info*", "/api/{*}/items/{**}"], ports: ["8080"]}
                    when:
                    - key: request.auth.claims[iss]
                      values: ["https://accounts.google.com"]
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: strict, namespace: foo}
                spec:
                  selector: {matchLabels: {app: httpbin}}
                  mtls: {mode: STRICT}
                  portLevelMtls:
                    8080: {mode: DISABLE}
                ---
                apiVersion: security.istio.io/v1
                kind: RequestAuthentication
                metadata: {name: jwt, namespace: foo}
                spec:
                  targetRefs:
                  - {group: gateway.networking.k8s.io, kind: Gateway, name: edge}
                  jwtRules:
                  - issuer: "issuer-foo"
                    jwksUri: https://example.com/.well-known/jwks.json
                    fromHeaders: [{name: x-jwt, prefix: "Bearer "}]
                    outputClaimToHeaders: [{header: x-sub, claim: sub}]
                """;
        assertEquals(List.of(), Golden.fieldFindings("sec.yaml", yaml));
    }

    @Test
    void securityRules() {
        String yaml = """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: deny-nothing}
                spec:
                  action: DENY
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: custom}
                spec:
                  action: CUSTOM
                  selector: {matchLabels: {app: a}}
                  targetRefs: [{kind: Service, name: a}]
                  rules:
                  - from:
                    - source: {namespaces: [foo]}
                    - source: {}
                    to:
                    - operation: {ports: ["http", "70000"], paths: ["/a/{**}/b", "/x{*}"]}
                    when:
                    - key: source.ip
                      values: ["10.0.0.300"]
                    - key: request.headers[x]
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: ns-wide}
                spec:
                  portLevelMtls:
                    0: {mode: STRICT}
                ---
                apiVersion: security.istio.io/v1
                kind: RequestAuthentication
                metadata: {name: jwt}
                spec:
                  jwtRules:
                  - jwksUri: "ftp://example.com/keys"
                    jwks: '{"keys": []}'
                    outputClaimToHeaders: [{header: "bad header", claim: sub}]
                """;
        assertEquals(List.of(
                "ERROR sec.yaml:4: AuthorizationPolicy default/deny-nothing: spec.rules: a DENY policy without rules never triggers; add an empty rule {} to deny every request",
                "ERROR sec.yaml:10: AuthorizationPolicy default/custom: spec: only one of selector, targetRef or targetRefs may be set",
                "ERROR sec.yaml:10: AuthorizationPolicy default/custom: spec.provider.name: is required for action CUSTOM",
                "ERROR sec.yaml:16: AuthorizationPolicy default/custom: spec.rules[0].from[0].source.namespaces: is not supported with action CUSTOM",
                "ERROR sec.yaml:17: AuthorizationPolicy default/custom: spec.rules[0].from[1].source: must set at least one field",
                "ERROR sec.yaml:19: AuthorizationPolicy default/custom: spec.rules[0].to[0].operation.ports[0]: \"http\" is not a port number 1..65535",
                "ERROR sec.yaml:19: AuthorizationPolicy default/custom: spec.rules[0].to[0].operation.ports[1]: \"70000\" is not a port number 1..65535",
                "ERROR sec.yaml:19: AuthorizationPolicy default/custom: spec.rules[0].to[0].operation.paths[0]: path template \"/a/{**}/b\": {**} must be the last segment",
                "ERROR sec.yaml:19: AuthorizationPolicy default/custom: spec.rules[0].to[0].operation.paths[1]: path template \"/x{*}\": only whole segments {*} and {**} are supported",
                "ERROR sec.yaml:22: AuthorizationPolicy default/custom: spec.rules[0].when[0].values[0]: \"10.0.0.300\" is not a valid IP address",
                "ERROR sec.yaml:23: AuthorizationPolicy default/custom: spec.rules[0].when[1]: at least one of values or notValues is required for key request.headers[x]",
                "ERROR sec.yaml:29: PeerAuthentication default/ns-wide: spec.portLevelMtls: needs a selector; namespace- and mesh-wide policies cannot set port-level mTLS",
                "ERROR sec.yaml:30: PeerAuthentication default/ns-wide: spec.portLevelMtls[0]: port number 0 must be in the range 1..65535",
                "ERROR sec.yaml:37: RequestAuthentication default/jwt: spec.jwtRules[0].issuer: is required",
                "ERROR sec.yaml:37: RequestAuthentication default/jwt: spec.jwtRules[0]: only one of jwksUri or jwks may be set",
                "ERROR sec.yaml:37: RequestAuthentication default/jwt: spec.jwtRules[0].jwksUri: must be an http or https URL with a host",
                "ERROR sec.yaml:39: RequestAuthentication default/jwt: spec.jwtRules[0].outputClaimToHeaders[0].header: invalid header name \"bad header\""),
                Golden.fieldFindings("sec.yaml", yaml));
    }
}

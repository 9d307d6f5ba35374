package dev.meshgate.config.validation;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.diag.Severity;
import dev.meshgate.config.diag.ValidationResult;
import dev.meshgate.config.model.Resource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConfigValidatorTest {

    private final ConfigValidator validator = new ConfigValidator();

    @Test
    void errorsRejectOnlyTheirResourceAndWarningsNeverReject() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  gateways: [edge/nowhere]
                  http:
                  - route:
                    - destination: {host: reviews}
                      weight: -1
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: ratings}
                spec:
                  hosts: [ratings]
                  gateways: [edge/nowhere]
                  http:
                  - route:
                    - destination: {host: ratings}
                """;
        List<Resource<?>> resources = Golden.load("reviews.yaml", yaml);
        ValidationResult result = validator.validate(resources);
        assertEquals(List.of("ratings"), result.accepted().stream().map(Resource::name).toList());
        assertEquals(List.of(
                "ERROR reviews.yaml:10: VirtualService default/reviews: spec.http[0].route[0].weight: must be >= 0",
                "WARNING reviews.yaml:17: VirtualService default/ratings: spec.gateways[0]: Gateway edge/nowhere not found; the VirtualService does not bind to it until it exists",
                "WARNING reviews.yaml:20: VirtualService default/ratings: spec.http[0].route[0].destination.host: no ServiceEntry declares host \"ratings.default.svc.cluster.local\"; requests routed here find no endpoints unless another registry provides them"),
                result.diagnostics().stream().map(Diagnostic::toString).toList());
        assertEquals("reviews.yaml:10: VirtualService default/reviews: spec.http[0].route[0].weight: must be >= 0",
                result.diagnostics().get(0).format());
    }

    @Test
    void duplicatesAndMetadata() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec: {host: reviews}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec: {host: reviews}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata:
                  name: Reviews_2
                  namespace: Prod
                  annotations: {istio.io/dry-run: "true"}
                spec: {host: reviews}
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: audit
                  annotations: {istio.io/dry-run: "true"}
                spec:
                  action: AUDIT
                  rules: [{}]
                """;
        ValidationResult result = validator.validate(Golden.load("dr.yaml", yaml));
        assertEquals(List.of("reviews"), result.accepted().stream().map(Resource::name).toList());
        assertEquals(List.of(
                "ERROR dr.yaml:6: DestinationRule default/reviews: defined more than once (first at dr.yaml:1); this later definition is ignored",
                "ERROR dr.yaml:14: DestinationRule Prod/Reviews_2: metadata.name: invalid name \"Reviews_2\": lower-case letters, digits, '-' and '.' (a DNS-1123 subdomain)",
                "ERROR dr.yaml:15: DestinationRule Prod/Reviews_2: metadata.namespace: invalid namespace \"Prod\": must be a DNS-1123 label",
                "ERROR dr.yaml:16: DestinationRule Prod/Reviews_2: metadata.annotations[istio.io/dry-run]: is only supported on AuthorizationPolicy",
                "ERROR dr.yaml:23: AuthorizationPolicy default/audit: metadata.annotations[istio.io/dry-run]: is only supported with action ALLOW or DENY (found AUDIT)"),
                result.diagnostics().stream().map(Diagnostic::toString).toList());
    }

    @Test
    void validatorNeverThrowsOnEmptySpecs() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: g}
                spec: {}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: v}
                spec: {}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: d}
                spec: {}
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: s}
                spec: {}
                ---
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: sc}
                spec: {}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: we}
                spec: {}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadGroup
                metadata: {name: wg}
                spec: {}
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: deny-all}
                spec: {}
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: pa}
                spec: {}
                ---
                apiVersion: security.istio.io/v1
                kind: RequestAuthentication
                metadata: {name: ra}
                spec: {}
                ---
                apiVersion: telemetry.istio.io/v1
                kind: Telemetry
                metadata: {name: t}
                spec: {}
                """;
        ValidationResult result = validator.validate(Golden.load("empty.yaml", yaml));
        assertEquals(List.of(
                "ERROR empty.yaml:4: Gateway default/g: spec.servers: at least one server is required",
                "ERROR empty.yaml:9: VirtualService default/v: spec: at least one of http, tcp or tls routes is required",
                "ERROR empty.yaml:14: DestinationRule default/d: spec.host: is required",
                "ERROR empty.yaml:19: ServiceEntry default/s: spec.hosts: at least one host is required",
                "ERROR empty.yaml:24: Sidecar default/sc: spec: is empty; set at least one of ingress, egress, outboundTrafficPolicy or inboundConnectionPool",
                "ERROR empty.yaml:29: WorkloadEntry default/we: spec.address: is required (it may only be empty when network is set)",
                "ERROR empty.yaml:34: WorkloadGroup default/wg: spec.template: is required"),
                result.diagnostics().stream().map(Diagnostic::toString).toList());
        assertEquals(List.of(), result.diagnostics().stream()
                .filter(d -> d.severity() == Severity.WARNING && d.message().startsWith("internal")).toList());
    }
}

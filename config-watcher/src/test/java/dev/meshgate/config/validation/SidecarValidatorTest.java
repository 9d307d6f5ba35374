package dev.meshgate.config.validation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SidecarValidatorTest {

    @Test
    void goodSidecarHasNoFindings() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: default, namespace: shop}
                spec:
                  ingress:
                  - port: {number: 9080, protocol: HTTP, name: http}
                    defaultEndpoint: 127.0.0.1:8080
                  egress:
                  - port: {number: 3306, protocol: MYSQL, name: mysql}
                    hosts: ["./mysql.shop.svc.cluster.local"]
                  - hosts: ["istio-system/*", "~/*.internal.example.com"]
                  outboundTrafficPolicy: {mode: REGISTRY_ONLY}
                """;
        assertEquals(List.of(), Golden.fieldFindings("sc.yaml", yaml));
    }

    @Test
    void sidecarRules() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: bad}
                spec:
                  workloadSelector: {labels: {}}
                  ingress:
                  - port: {number: 9080, protocol: HTTP, name: http}
                    defaultEndpoint: 10.0.0.1:8080
                    tls: {mode: ISTIO_MUTUAL}
                  - port: {number: 9080, protocol: HTTP, name: http2}
                  egress:
                  - hosts: ["*/*"]
                  - port: {number: 80, protocol: HTTP, name: http}
                    hosts: ["reviews", "ns/short"]
                  outboundTrafficPolicy:
                    mode: REGISTRY_ONLY
                    egressProxy: {host: proxy.example.com}
                """;
        assertEquals(List.of(
                "WARNING sc.yaml:5: Sidecar default/bad: spec.workloadSelector: selects no labels, so it applies to every workload in the namespace",
                "ERROR sc.yaml:8: Sidecar default/bad: spec.ingress[0].defaultEndpoint: must be 127.0.0.1:<port>, 0.0.0.0:<port>, [::1]:<port>, [::]:<port> or unix://<path>",
                "ERROR sc.yaml:9: Sidecar default/bad: spec.ingress[0].tls.mode: ISTIO_MUTUAL is not allowed on sidecar ingress listeners",
                "ERROR sc.yaml:10: Sidecar default/bad: spec.ingress[1].port.number: duplicate port 9080",
                "ERROR sc.yaml:12: Sidecar default/bad: spec.egress[0].port: only the last egress listener may omit the port (the catch-all listener)",
                "ERROR sc.yaml:14: Sidecar default/bad: spec.egress[1].hosts[0]: host \"reviews\" must be of the form namespace/dnsName",
                "ERROR sc.yaml:14: Sidecar default/bad: spec.egress[1].hosts[1]: host \"ns/short\": short names are not allowed; use a fully-qualified name",
                "ERROR sc.yaml:17: Sidecar default/bad: spec.outboundTrafficPolicy.egressProxy: needs mode ALLOW_ANY",
                "ERROR sc.yaml:17: Sidecar default/bad: spec.outboundTrafficPolicy.egressProxy.port: is required"),
                Golden.fieldFindings("sc.yaml", yaml));
    }
}

package dev.meshgate.config.validation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AnalyzerTest {

    @Test
    void consistentSnapshotHasNoFindings() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: public, namespace: edge}
                spec:
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*/*.example.com"]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: shop, namespace: shop}
                spec:
                  hosts: [shop.example.com]
                  gateways: [edge/public]
                  http:
                  - route:
                    - destination: {host: backend, subset: v1}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: backend, namespace: shop}
                spec:
                  host: backend.shop.svc.cluster.local
                  subsets: [{name: v1, labels: {version: v1}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: backend, namespace: shop}
                spec:
                  hosts: [backend]
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  resolution: STATIC
                  workloadSelector: {labels: {app: backend}}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: backend-1, namespace: shop}
                spec:
                  address: 10.0.0.1
                  labels: {app: backend, version: v1}
                """;
        assertEquals(List.of(), Golden.analysis("ok.yaml", yaml));
    }

    @Test
    void virtualServiceReferences() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: public, namespace: edge}
                spec:
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["./*.example.com", "team/api.example.org"]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination: {host: reviews, subset: v9}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: shop}
                spec:
                  hosts: [shop.example.com, api.example.org]
                  gateways: [edge/public, missing-gateway]
                  http:
                  - route:
                    - destination: {host: ratings, subset: v2}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: ratings}
                spec:
                  host: ratings
                  subsets: [{name: v1}]
                """;
        assertEquals(List.of(
                "WARNING refs.yaml:12: VirtualService default/reviews: spec: has no gateways, so it binds only to mesh (sidecars) and never to a gateway; add gateways: [<namespace>/<gateway>] to route ingress traffic (the most common cause of 404 at the ingress)",
                "WARNING refs.yaml:16: VirtualService default/reviews: spec.http[0].route[0].destination.host: no ServiceEntry declares host \"reviews.default.svc.cluster.local\"; requests routed here find no endpoints unless another registry provides them",
                "WARNING refs.yaml:16: VirtualService default/reviews: spec.http[0].route[0].destination.subset: no DestinationRule for host \"reviews.default.svc.cluster.local\" defines subset \"v9\"; requests routed here get 503 (NC)",
                "WARNING refs.yaml:23: VirtualService default/shop: spec.gateways[0]: no host of the VirtualService [shop.example.com, api.example.org] matches a host of Gateway edge/public [./*.example.com, team/api.example.org] for namespace default, so it does not bind (404 at the ingress)",
                "WARNING refs.yaml:23: VirtualService default/shop: spec.gateways[1]: Gateway default/missing-gateway not found; the VirtualService does not bind to it until it exists",
                "WARNING refs.yaml:26: VirtualService default/shop: spec.http[0].route[0].destination.host: no ServiceEntry declares host \"ratings.default.svc.cluster.local\"; requests routed here find no endpoints unless another registry provides them",
                "WARNING refs.yaml:26: VirtualService default/shop: spec.http[0].route[0].destination.subset: subset \"v2\" is not defined by the DestinationRule(s) for host \"ratings.default.svc.cluster.local\" [default/ratings]; requests routed here get 503 (NC)"),
                Golden.analysis("refs.yaml", yaml));
    }

    @Test
    void gatewayServerConflicts() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: a}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 443, name: https, protocol: HTTPS}
                    hosts: ["shop.example.com"]
                    tls: {mode: SIMPLE, credentialName: shop-cert}
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*"]
                ---
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: b}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 443, name: https, protocol: HTTPS}
                    hosts: ["*.example.com", "shop.example.com"]
                    tls: {mode: SIMPLE, credentialName: wildcard-cert}
                  - port: {number: 80, name: tcp, protocol: TCP}
                    hosts: ["*"]
                ---
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: other-workload}
                spec:
                  selector: {istio: egressgateway}
                  servers:
                  - port: {number: 443, name: https, protocol: HTTPS}
                    hosts: ["shop.example.com"]
                    tls: {mode: SIMPLE, credentialName: other-cert}
                """;
        assertEquals(List.of(
                "WARNING gws.yaml:21: Gateway default/b: spec.servers[0].tls: host \"shop.example.com\" on port 443 is also served by Gateway default/a spec.servers[0] with a different certificate (credentialName wildcard-cert vs credentialName shop-cert); only one certificate can be presented for an SNI name",
                "WARNING gws.yaml:22: Gateway default/b: spec.servers[1].port: port 80 is TCP here but HTTP in Gateway default/a spec.servers[1]; Istio keeps only one of them"),
                Golden.analysis("gws.yaml", yaml));
    }

    @Test
    void serviceEntryWithoutWorkloads() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: vm}
                spec:
                  hosts: [vm.internal]
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  resolution: STATIC
                  workloadSelector: {labels: {app: vm}}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: vm-elsewhere, namespace: other}
                spec:
                  address: 10.0.0.2
                  labels: {app: vm}
                """;
        assertEquals(List.of(
                "WARNING se.yaml:8: ServiceEntry default/vm: spec.workloadSelector: selects no WorkloadEntry in namespace default {app=vm}; the service has no endpoints unless another registry provides them"),
                Golden.analysis("se.yaml", yaml));
    }

    @Test
    void gatewayNamesResolveLikeIstio() {
        assertEquals("ns1/gw", Analyzer.resolveGatewayName("ns1/gw", "default"));
        assertEquals("default/gw", Analyzer.resolveGatewayName("./gw", "default"));
        assertEquals("default/gw", Analyzer.resolveGatewayName("gw", "default"));
        assertEquals("istio-system/gw", Analyzer.resolveGatewayName("gw.istio-system.svc.cluster.local", "default"));
    }
}

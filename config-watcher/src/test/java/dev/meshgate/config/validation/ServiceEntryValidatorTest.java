package dev.meshgate.config.validation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ServiceEntryValidatorTest {

    @Test
    void goodServiceEntriesHaveNoFindings() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata:
                  name: external
                spec:
                  hosts: [api.example.com]
                  ports:
                  - {number: 443, name: https, protocol: TLS}
                  resolution: DNS
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata:
                  name: static
                spec:
                  hosts: [db.internal, cache.internal]
                  addresses: [10.1.0.0/16]
                  ports:
                  - {number: 8080, name: http, protocol: HTTP, targetPort: 9090}
                  resolution: STATIC
                  endpoints:
                  - address: 10.1.2.3
                    ports: {http: 8081}
                    labels: {version: v1}
                  - address: unix:///var/run/app.sock
                """;
        assertEquals(List.of(), Golden.fieldFindings("se.yaml", yaml));
    }

    @Test
    void serviceEntryRules() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata:
                  name: wild
                spec:
                  hosts: ["*", "*.example.com", "ok.example.com"]
                  addresses: [10.0.0.0/8]
                  ports:
                  - {number: 80, name: http, protocol: HTTP}
                  - {number: 80, name: http, protocol: TCP}
                  - {number: 70000, name: Web_Port, protocol: HTTP}
                  resolution: DNS
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata:
                  name: static
                spec:
                  hosts: [db.internal]
                  ports:
                  - {number: 5432, name: pg, protocol: TCP}
                  resolution: STATIC
                  workloadSelector: {labels: {app: db}}
                  endpoints:
                  - address: db.example.com
                    ports: {mysql: 3306}
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata:
                  name: none
                spec:
                  hosts: [x.example.com]
                  resolution: NONE
                  endpoints:
                  - address: 10.0.0.1
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata:
                  name: rr
                spec:
                  hosts: [rr.example.com]
                  resolution: DNS_ROUND_ROBIN
                  endpoints:
                  - address: a.example.com
                  - address: b_c.example.com
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata:
                  name: empty-static
                spec:
                  hosts: [s.example.com]
                  resolution: STATIC
                """;
        assertEquals(List.of(
                "ERROR se.yaml:6: ServiceEntry default/wild: spec.hosts[0]: \"*\" is not allowed as a ServiceEntry host",
                "ERROR se.yaml:7: ServiceEntry default/wild: spec.addresses: CIDR blocks are only allowed with resolution NONE or STATIC",
                "ERROR se.yaml:10: ServiceEntry default/wild: spec.ports[1].name: duplicate port name \"http\"",
                "ERROR se.yaml:10: ServiceEntry default/wild: spec.ports[1].number: duplicate port 80 (also spec.ports[0])",
                "ERROR se.yaml:11: ServiceEntry default/wild: spec.ports[2].name: invalid port name \"Web_Port\": must be a DNS-1123 label",
                "ERROR se.yaml:11: ServiceEntry default/wild: spec.ports[2].number: port number 70000 must be in the range 1..65535",
                "ERROR se.yaml:6: ServiceEntry default/wild: spec.hosts[1]: resolution DNS without endpoints resolves the hosts themselves, so they must be plain DNS names (no wildcard)",
                "WARNING se.yaml:6: ServiceEntry default/wild: spec.hosts: several hosts with addresses and a TCP port cannot be told apart",
                "ERROR se.yaml:10: ServiceEntry default/wild: spec.ports[1].protocol: several hosts need HTTP or TLS ports to be told apart (by Host header or SNI); TCP cannot",
                "ERROR se.yaml:24: ServiceEntry default/static: spec.endpoints: only one of workloadSelector or endpoints may be set",
                "ERROR se.yaml:25: ServiceEntry default/static: spec.endpoints[0].address: \"db.example.com\" is not an IP address (resolution STATIC needs IPs)",
                "ERROR se.yaml:26: ServiceEntry default/static: spec.endpoints[0].ports[mysql]: port name \"mysql\" is not a port of the ServiceEntry [pg]",
                "ERROR se.yaml:35: ServiceEntry default/none: spec.endpoints: must be empty with resolution NONE (the original destination is used)",
                "ERROR se.yaml:45: ServiceEntry default/rr: spec.endpoints: resolution DNS_ROUND_ROBIN allows at most one endpoint",
                "ERROR se.yaml:47: ServiceEntry default/rr: spec.endpoints[1].address: \"b_c.example.com\" is neither an IP address nor a valid host name",
                "WARNING se.yaml:55: ServiceEntry default/empty-static: spec.resolution: STATIC without endpoints or a workloadSelector has no endpoints; requests to it fail with 503"),
                Golden.fieldFindings("se.yaml", yaml));
    }
}

package dev.meshgate.config.validation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GatewayValidatorTest {

    @Test
    void goodGatewayHasNoFindings() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata:
                  name: public
                  namespace: edge
                spec:
                  selector:
                    istio: ingressgateway
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*/example.com", "./*.example.org"]
                    tls: {httpsRedirect: true}
                  - port: {number: 443, name: https, protocol: HTTPS}
                    hosts: ["example.com"]
                    tls: {mode: SIMPLE, credentialName: example-cert}
                  - port: {number: 8443, name: mtls, protocol: HTTPS}
                    hosts: ["api.example.com"]
                    tls:
                      mode: MUTUAL
                      serverCertificate: /etc/certs/tls.crt
                      privateKey: /etc/certs/tls.key
                      caCertificates: /etc/certs/ca.crt
                  - port: {number: 15443, name: tls, protocol: TLS}
                    hosts: ["*"]
                    tls: {mode: AUTO_PASSTHROUGH}
                """;
        assertEquals(List.of(), Golden.fieldFindings("gw.yaml", yaml));
    }

    @Test
    void serverPortsHostsAndNames() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata:
                  name: bad
                spec:
                  servers:
                  - port: {number: 0, name: http, protocol: HTTP}
                    hosts: ["reviews", "foo.*.com", "Bad_NS/x.com", "*foo.example.com"]
                  - port: {number: 8080, name: http, protocol: HTTP}
                    hosts: ["a.example.com"]
                  - hosts: ["b.example.com"]
                  - port: {number: 9090, name: extra, protocol: TCP, targetPort: 9091}
                    hosts: []
                """;
        assertEquals(List.of(
                "ERROR gw.yaml:8: Gateway default/bad: spec.servers[0].hosts[0]: host \"reviews\": short names are not allowed in Gateway hosts; use a fully-qualified name",
                "ERROR gw.yaml:8: Gateway default/bad: spec.servers[0].hosts[1]: host \"foo.*.com\" is invalid: a wildcard is only allowed as the left-most label",
                "ERROR gw.yaml:8: Gateway default/bad: spec.servers[0].hosts[2]: host \"Bad_NS/x.com\": invalid namespace \"Bad_NS\" (use a namespace name, \".\" or \"*\")",
                "ERROR gw.yaml:8: Gateway default/bad: spec.servers[0].hosts[3]: host \"*foo.example.com\": partial wildcard \"*foo.example.com\" is not allowed; use \"*.\" as the left-most label",
                "ERROR gw.yaml:7: Gateway default/bad: spec.servers[0].port.number: port number 0 must be in the range 1..65535",
                "ERROR gw.yaml:9: Gateway default/bad: spec.servers[1].port.name: duplicate port name \"http\" (also used by spec.servers[0]); port names must be unique in a Gateway",
                "ERROR gw.yaml:11: Gateway default/bad: spec.servers[2].port: is required",
                "ERROR gw.yaml:13: Gateway default/bad: spec.servers[3].hosts: at least one host is required",
                "ERROR gw.yaml:12: Gateway default/bad: spec.servers[3].port.targetPort: has no effect on a Gateway; remove it (the server binds port.number)"),
                Golden.fieldFindings("gw.yaml", yaml));
    }

    @Test
    void serverTlsRules() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata:
                  name: tls
                  namespace: edge
                spec:
                  servers:
                  - port: {number: 443, name: https-a, protocol: HTTPS}
                    hosts: ["a.example.com"]
                  - port: {number: 443, name: https-b, protocol: HTTPS}
                    hosts: ["b.example.com"]
                    tls:
                      mode: SIMPLE
                  - port: {number: 443, name: https-c, protocol: HTTPS}
                    hosts: ["c.example.com"]
                    tls:
                      mode: MUTUAL
                      credentialName: c-cert
                      serverCertificate: /c.crt
                      privateKey: /c.key
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["d.example.com"]
                    tls:
                      mode: SIMPLE
                      credentialName: d-cert
                  - port: {number: 15443, name: mesh, protocol: TLS}
                    hosts: ["*.local"]
                    tls:
                      mode: ISTIO_MUTUAL
                      credentialName: nope
                  - port: {number: 8443, name: old, protocol: HTTPS}
                    hosts: ["e.example.com"]
                    tls:
                      mode: SIMPLE
                      credentialName: e-cert
                      minProtocolVersion: TLSV1_3
                      maxProtocolVersion: TLSV1_2
                      cipherSuites: [ECDHE-RSA-AES128-GCM-SHA256, NOT-A-CIPHER]
                """;
        assertEquals(List.of(
                "ERROR gw.yaml:8: Gateway edge/tls: spec.servers[0].tls: is required for HTTPS servers",
                "ERROR gw.yaml:12: Gateway edge/tls: spec.servers[1].tls.serverCertificate: is required for mode SIMPLE unless credentialName is set",
                "ERROR gw.yaml:12: Gateway edge/tls: spec.servers[1].tls.privateKey: is required for mode SIMPLE unless credentialName is set",
                "ERROR gw.yaml:16: Gateway edge/tls: spec.servers[2].tls: only one certificate source may be set, found serverCertificate/privateKey, credentialName",
                "ERROR gw.yaml:23: Gateway edge/tls: spec.servers[3].tls: a plain-text HTTP server can only use httpsRedirect; certificates need protocol HTTPS",
                "ERROR gw.yaml:30: Gateway edge/tls: spec.servers[4].tls.credentialName: must not be set with mode ISTIO_MUTUAL (it uses the workload's Istio identity)",
                "ERROR gw.yaml:36: Gateway edge/tls: spec.servers[5].tls.minProtocolVersion: must not be above maxProtocolVersion (TLSV1_2)",
                "WARNING gw.yaml:38: Gateway edge/tls: spec.servers[5].tls.cipherSuites: ignoring unsupported cipher suites [NOT-A-CIPHER]"),
                Golden.fieldFindings("gw.yaml", yaml));
    }

    @Test
    void gatewayNameMustBeALabelAndHttpsRedirectOnlyOnHttp() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata:
                  name: my.gateway
                spec:
                  servers:
                  - port: {number: 443, name: https, protocol: HTTPS}
                    hosts: ["a.example.com"]
                    tls: {mode: SIMPLE, credentialName: a, httpsRedirect: true}
                """;
        assertEquals(List.of(
                "ERROR gw.yaml:4: Gateway default/my.gateway: metadata.name: invalid Gateway name \"my.gateway\": must be a DNS-1123 label (lower case, no dots)",
                "WARNING gw.yaml:9: Gateway default/my.gateway: spec.servers[0].tls.httpsRedirect: only applies to HTTP servers"),
                Golden.fieldFindings("gw.yaml", yaml));
    }
}

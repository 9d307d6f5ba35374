package dev.meshgate.config.validation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DestinationRuleValidatorTest {

    @Test
    void goodDestinationRuleHasNoFindings() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata:
                  name: reviews
                spec:
                  host: reviews
                  trafficPolicy:
                    loadBalancer:
                      consistentHash:
                        httpCookie: {name: user, ttl: 0s}
                        maglev: {tableSize: 65537}
                    connectionPool:
                      tcp: {maxConnections: 100, connectTimeout: 30ms, idleTimeout: 0s}
                      http: {http1MaxPendingRequests: 10, maxRequestsPerConnection: 1}
                    outlierDetection: {consecutive5xxErrors: 7, interval: 5m, baseEjectionTime: 15m, maxEjectionPercent: 50}
                    tls: {mode: MUTUAL, clientCertificate: /c.pem, privateKey: /k.pem}
                    portLevelSettings:
                    - port: {number: 443}
                      tls: {mode: SIMPLE, sni: reviews.example.com}
                  subsets:
                  - name: v1
                    labels: {version: v1}
                  - name: v2
                    labels: {version: v2}
                    trafficPolicy:
                      loadBalancer: {simple: ROUND_ROBIN}
                """;
        assertEquals(List.of(), Golden.fieldFindings("dr.yaml", yaml));
    }

    @Test
    void destinationRuleRules() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata:
                  name: bad
                spec:
                  trafficPolicy:
                    loadBalancer:
                      simple: LEAST_CONN
                      consistentHash:
                        httpHeaderName: x-user
                        useSourceIp: true
                        maglev: {tableSize: 1000}
                    connectionPool:
                      http: {h2UpgradePolicy: UPGRADE, useClientProtocol: true, maxRetries: -1}
                    outlierDetection:
                      consecutiveErrors: 5
                      consecutiveLocalOriginFailures: 3
                      minHealthPercent: 120
                    tls: {mode: MUTUAL, caCertificates: /ca.pem}
                    portLevelSettings:
                    - port: {number: 80}
                      loadBalancer: {simple: RANDOM}
                    - port: {number: 80}
                      tls: {mode: SIMPLE, credentialName: c, caCertificates: /ca.pem}
                    - loadBalancer: {simple: RANDOM}
                  subsets:
                  - name: v1
                  - name: v1
                  - labels: {version: v3}
                  - name: V_4
                    trafficPolicy: {}
                """;
        assertEquals(List.of(
                "ERROR dr.yaml:5: DestinationRule default/bad: spec.host: is required",
                "WARNING dr.yaml:16: DestinationRule default/bad: spec.trafficPolicy.outlierDetection.consecutiveErrors: is deprecated; use consecutive5xxErrors or consecutiveGatewayErrors",
                "ERROR dr.yaml:17: DestinationRule default/bad: spec.trafficPolicy.outlierDetection.consecutiveLocalOriginFailures: has no effect unless splitExternalLocalOriginErrors is true",
                "ERROR dr.yaml:18: DestinationRule default/bad: spec.trafficPolicy.outlierDetection.minHealthPercent: percentage 120 must be in the range 0..100",
                "ERROR dr.yaml:14: DestinationRule default/bad: spec.trafficPolicy.connectionPool.http.maxRetries: must be >= 0",
                "ERROR dr.yaml:14: DestinationRule default/bad: spec.trafficPolicy.connectionPool.http.useClientProtocol: cannot be true when h2UpgradePolicy is UPGRADE",
                "ERROR dr.yaml:7: DestinationRule default/bad: spec.trafficPolicy.loadBalancer: only one of simple or consistentHash may be set",
                "WARNING dr.yaml:8: DestinationRule default/bad: spec.trafficPolicy.loadBalancer.simple: LEAST_CONN is deprecated; use LEAST_REQUEST",
                "ERROR dr.yaml:9: DestinationRule default/bad: spec.trafficPolicy.loadBalancer.consistentHash: only one of httpHeaderName, httpCookie, useSourceIp or httpQueryParameterName may be set",
                "ERROR dr.yaml:12: DestinationRule default/bad: spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize: must be a prime number (1000 is not)",
                "ERROR dr.yaml:19: DestinationRule default/bad: spec.trafficPolicy.tls.clientCertificate: is required for mode MUTUAL unless credentialName is set",
                "ERROR dr.yaml:19: DestinationRule default/bad: spec.trafficPolicy.tls.privateKey: is required for mode MUTUAL unless credentialName is set",
                "ERROR dr.yaml:23: DestinationRule default/bad: spec.trafficPolicy.portLevelSettings[1].port.number: port 80 already has settings in spec.trafficPolicy.portLevelSettings[0]",
                "ERROR dr.yaml:24: DestinationRule default/bad: spec.trafficPolicy.portLevelSettings[1].tls.credentialName: cannot be combined with clientCertificate, privateKey, caCertificates or caCrl (the secret provides them)",
                "ERROR dr.yaml:25: DestinationRule default/bad: spec.trafficPolicy.portLevelSettings[2].port: is required",
                "ERROR dr.yaml:28: DestinationRule default/bad: spec.subsets[1].name: duplicate subset name \"v1\" (also spec.subsets[0])",
                "ERROR dr.yaml:29: DestinationRule default/bad: spec.subsets[2].name: is required",
                "ERROR dr.yaml:30: DestinationRule default/bad: spec.subsets[3].name: invalid subset name \"V_4\": must be a DNS-1123 label",
                "ERROR dr.yaml:31: DestinationRule default/bad: spec.subsets[3].trafficPolicy: must set at least one field"),
                Golden.fieldFindings("dr.yaml", yaml));
    }

    @Test
    void localityLbSettingRules() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata:
                  name: loc
                spec:
                  host: reviews
                  trafficPolicy:
                    loadBalancer:
                      localityLbSetting:
                        failover:
                        - {from: us-east, to: us-west}
                        failoverPriority:
                        - topology.istio.io/network
                        - topology.kubernetes.io/zone
                    outlierDetection: {consecutive5xxErrors: 1}
                  subsets:
                  - name: both
                    trafficPolicy:
                      loadBalancer:
                        localityLbSetting:
                          distribute:
                          - {from: us-east/*, to: {"us-east/*": 80, "us-west/*": 20}}
                          failover:
                          - {from: us-east, to: us-west}
                """;
        assertEquals(List.of(
                "ERROR dr.yaml:14: DestinationRule default/loc: spec.trafficPolicy.loadBalancer.localityLbSetting"
                        + ".failoverPriority[1]: cannot be the topology label 'topology.kubernetes.io/zone' when "
                        + "failover is also set",
                "ERROR dr.yaml:20: DestinationRule default/loc: spec.subsets[0].trafficPolicy.loadBalancer"
                        + ".localityLbSetting: only one of distribute or failover may be set"),
                Golden.fieldFindings("dr.yaml", yaml));
    }
}

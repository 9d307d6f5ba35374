package dev.meshgate.config.validation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Telemetry and WorkloadGroup rules (modelled kinds without gateway behaviour yet). */
class TelemetryValidatorTest {

    @Test
    void goodTelemetryAndWorkloadGroupHaveNoFindings() {
        String yaml = """
                apiVersion: telemetry.istio.io/v1
                kind: Telemetry
                metadata: {name: mesh-default, namespace: istio-system}
                spec:
                  tracing:
                  - providers: [{name: zipkin}]
                    randomSamplingPercentage: 10.0
                    customTags:
                      env: {literal: {value: prod}}
                  metrics:
                  - providers: [{name: prometheus}]
                    overrides:
                    - match: {metric: REQUEST_COUNT}
                      tagOverrides:
                        request_host: {value: "request.host"}
                        response_flags: {operation: REMOVE}
                  accessLogging:
                  - providers: [{name: envoy}]
                    filter: {expression: "response.code >= 400"}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadGroup
                metadata: {name: reviews}
                spec:
                  metadata: {labels: {app: reviews}}
                  template: {serviceAccount: reviews}
                  probe:
                    httpGet: {path: /ready, port: 8080}
                """;
        assertEquals(List.of(), Golden.fieldFindings("t.yaml", yaml));
    }

    @Test
    void telemetryAndWorkloadGroupRules() {
        String yaml = """
                apiVersion: telemetry.istio.io/v1
                kind: Telemetry
                metadata: {name: bad}
                spec:
                  tracing:
                  - providers: [{name: a}, {name: ""}]
                    randomSamplingPercentage: 101
                    customTags:
                      env: {literal: {value: ""}, header: {name: x}}
                  metrics:
                  - overrides:
                    - match: {customMetric: ""}
                      tagOverrides:
                        a: {operation: UPSERT}
                        b: {operation: REMOVE, value: x}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadGroup
                metadata: {name: wg}
                spec:
                  template: {}
                  probe:
                    httpGet: {port: 0, scheme: FTP}
                    exec: {command: []}
                """;
        assertEquals(List.of(
                "WARNING t.yaml:6: Telemetry default/bad: spec.tracing[0].providers: only one provider per tracing entry is supported",
                "ERROR t.yaml:6: Telemetry default/bad: spec.tracing[0].providers[1].name: is required",
                "ERROR t.yaml:7: Telemetry default/bad: spec.tracing[0].randomSamplingPercentage: must be in the range 0..100",
                "ERROR t.yaml:9: Telemetry default/bad: spec.tracing[0].customTags[env]: exactly one of literal, environment, header or formatter is required",
                "ERROR t.yaml:9: Telemetry default/bad: spec.tracing[0].customTags[env].literal.value: is required",
                "ERROR t.yaml:14: Telemetry default/bad: spec.metrics[0].overrides[0].tagOverrides[a].value: is required when operation is UPSERT",
                "ERROR t.yaml:15: Telemetry default/bad: spec.metrics[0].overrides[0].tagOverrides[b].value: is only allowed when operation is UPSERT",
                "ERROR t.yaml:12: Telemetry default/bad: spec.metrics[0].overrides[0].match.customMetric: must not be empty",
                "ERROR t.yaml:22: WorkloadGroup default/wg: spec.probe: only one of httpGet, tcpSocket, exec or grpc may be set",
                "ERROR t.yaml:23: WorkloadGroup default/wg: spec.probe.httpGet.port: port number 0 must be in the range 1..65535",
                "ERROR t.yaml:23: WorkloadGroup default/wg: spec.probe.httpGet.scheme: must be HTTP or HTTPS",
                "ERROR t.yaml:24: WorkloadGroup default/wg: spec.probe.exec.command: is required"),
                Golden.fieldFindings("t.yaml", yaml));
    }
}

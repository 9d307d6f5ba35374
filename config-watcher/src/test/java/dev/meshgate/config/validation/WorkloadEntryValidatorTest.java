package dev.meshgate.config.validation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WorkloadEntryValidatorTest {

    @Test
    void goodWorkloadEntriesHaveNoFindings() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata:
                  name: vm-1
                spec:
                  address: 10.0.0.7
                  ports: {http: 8080}
                  labels: {app: ratings, version: v2}
                  serviceAccount: ratings
                  weight: 3
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata:
                  name: vm-2
                spec:
                  address: vm2.example.com
                """;
        assertEquals(List.of(), Golden.fieldFindings("we.yaml", yaml));
    }

    @Test
    void workloadEntryRules() {
        String yaml = """
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata:
                  name: no-address
                spec:
                  labels: {app: x}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata:
                  name: network-only
                spec:
                  network: west
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata:
                  name: uds
                spec:
                  address: unix://relative/path
                  ports: {http: 0}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata:
                  name: bad-host
                spec:
                  address: "not a host"
                  labels: {"app*": x}
                """;
        assertEquals(List.of(
                "ERROR we.yaml:5: WorkloadEntry default/no-address: spec.address: is required (it may only be empty when network is set)",
                "WARNING we.yaml:12: WorkloadEntry default/network-only: spec.address: is empty; the endpoint is reached through the gateway of network \"west\"",
                "ERROR we.yaml:20: WorkloadEntry default/uds: spec.address: \"relative/path\" is not an absolute path to a file",
                "ERROR we.yaml:21: WorkloadEntry default/uds: spec.ports: a unix domain socket endpoint cannot have ports",
                "ERROR we.yaml:21: WorkloadEntry default/uds: spec.ports[http]: port number 0 must be in the range 1..65535",
                "ERROR we.yaml:28: WorkloadEntry default/bad-host: spec.address: \"not a host\" is neither an IP address nor a valid host name",
                "ERROR we.yaml:29: WorkloadEntry default/bad-host: spec.labels[app*]: wildcards are not supported in label selectors: \"app*=x\""),
                Golden.fieldFindings("we.yaml", yaml));
    }
}

package dev.meshgate.gateway.testing;

import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.config.yaml.LoadResult;
import dev.meshgate.config.yaml.ResourceLoader;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Loads YAML test configs into snapshots with the real loader. */
public final class TestConfig {

    private static final AtomicLong VERSION = new AtomicLong();
    private static final ResourceLoader LOADER = new ResourceLoader();

    private TestConfig() {
    }

    public static ConfigSnapshot snapshot(String... yamlDocs) {
        java.util.List<dev.meshgate.config.model.Resource<?>> all = new java.util.ArrayList<>();
        int i = 0;
        for (String yaml : yamlDocs) {
            LoadResult r = LOADER.load("test-" + i++ + ".yaml", yaml);
            if (r.hasErrors()) {
                throw new IllegalArgumentException("test config does not load: " + r.errors());
            }
            all.addAll(r.resources());
        }
        return new ConfigSnapshot(VERSION.incrementAndGet(), Long.toHexString(VERSION.get()), all, Instant.now());
    }

    /** A Gateway {@code istio-system/gw} selecting the default instance, HTTP port 80, hosts given. */
    public static String gateway(String... hosts) {
        StringBuilder sb = new StringBuilder("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts:
                """);
        for (String h : hosts.length == 0 ? new String[]{"*"} : hosts) {
            sb.append("    - \"").append(h).append("\"\n");
        }
        return sb.toString();
    }
}

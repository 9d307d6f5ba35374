package dev.meshgate.perf.jmh;

import dev.meshgate.config.model.Resource;
import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.config.yaml.LoadResult;
import dev.meshgate.config.yaml.ResourceLoader;
import dev.meshgate.gateway.route.ListenerKey;
import dev.meshgate.gateway.route.ListenerRoutes;
import dev.meshgate.gateway.route.RouteCompiler;
import dev.meshgate.gateway.route.RouteConfig;
import dev.meshgate.gateway.runtime.GatewayOptions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds route tables the way a user would: Istio YAML through the real loader and route compiler. Two shapes:
 * {@code prefix} is one VirtualService with n prefix routes {@code /r<i>/} on one host (Envoy's ordered list:
 * first match wins); {@code hosts} is n VirtualServices, one host each ({@code h<i>.bench.local}).
 */
public final class RouteTables {

    public static final int PORT = 8080;

    private RouteTables() {
    }

    public static ListenerRoutes compile(String shape, int n) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 8080, name: http, protocol: HTTP}
                    hosts: ["*"]
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: backend, namespace: istio-system}
                spec:
                  hosts: [backend.bench.local]
                  location: MESH_EXTERNAL
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  resolution: STATIC
                  endpoints: [{address: 127.0.0.1}]
                """);
        switch (shape) {
            case "prefix" -> {
                yaml.append("---\napiVersion: networking.istio.io/v1\nkind: VirtualService\n")
                        .append("metadata: {name: routes, namespace: istio-system}\n")
                        .append("spec:\n  hosts: [\"*\"]\n  gateways: [istio-system/gw]\n  http:\n");
                for (int i = 0; i < n; i++) {
                    yaml.append("  - name: r").append(i).append("\n    match: [{uri: {prefix: /r").append(i)
                            .append("/}}]\n    route: [{destination: {host: backend.bench.local, port: {number: 80}}}]\n");
                }
            }
            case "hosts" -> {
                for (int i = 0; i < n; i++) {
                    yaml.append("---\napiVersion: networking.istio.io/v1\nkind: VirtualService\n")
                            .append("metadata: {name: vs").append(i).append(", namespace: istio-system}\n")
                            .append("spec:\n  hosts: [h").append(i).append(".bench.local]\n")
                            .append("  gateways: [istio-system/gw]\n  http:\n")
                            .append("  - route: [{destination: {host: backend.bench.local, port: {number: 80}}}]\n");
                }
            }
            default -> throw new IllegalArgumentException("shape " + shape + ": expected prefix or hosts");
        }
        LoadResult r = new ResourceLoader().load("bench.yaml", yaml.toString());
        if (r.hasErrors()) {
            throw new IllegalStateException("bench config does not load: " + r.errors());
        }
        List<Resource<?>> all = new ArrayList<>(r.resources());
        ConfigSnapshot snapshot = new ConfigSnapshot(1, "bench", all, Instant.now());
        RouteConfig config = RouteCompiler.compile(snapshot, GatewayOptions.DEFAULT_LABELS,
                GatewayOptions.DEFAULT_NAMESPACE);
        ListenerRoutes routes = config.listeners().get(new ListenerKey(null, PORT));
        if (routes == null) {
            throw new IllegalStateException("no listener on " + PORT + ": " + config.notes());
        }
        return routes;
    }
}

package dev.meshgate.gateway.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Small in-process HTTP backends on 127.0.0.1, each answering its name (e.g. {@code reviews-v2}) in the body
 * and in {@code x-backend}, plus the path it saw in {@code x-seen-path}; registered as ServiceEntries with
 * WorkloadEntries so the real upstream side routes to them.
 */
public final class Backends {

    private final Vertx vertx;
    private final Map<String, HttpServer> servers = new LinkedHashMap<>();

    public Backends(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Starts backend {@code app-version}; returns its port. */
    public int start(String app, String version) {
        String name = app + "-" + version;
        HttpServer s = GatewayHarness.await(vertx.createHttpServer().requestHandler(req -> req.body().onComplete(b ->
                req.response().putHeader("x-backend", name).putHeader("x-seen-path", req.uri())
                        .putHeader("x-seen-host", String.valueOf(req.authority())).end(name))).listen(0, "127.0.0.1"));
        servers.put(name, s);
        return s.actualPort();
    }

    public int port(String name) {
        return servers.get(name).actualPort();
    }

    /**
     * A STATIC ServiceEntry {@code <app>.<ns>.svc.cluster.local} port {@code servicePort} selecting WorkloadEntries
     * labelled app=&lt;app&gt;, and one WorkloadEntry per started version of the app.
     */
    public String registry(String ns, String app, int servicePort) {
        StringBuilder sb = new StringBuilder();
        sb.append("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: %s, namespace: %s}
                spec:
                  hosts: [%s.%s.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: %d, name: http, protocol: HTTP}]
                  workloadSelector: {labels: {app: %s}}
                """.formatted(app, ns, app, ns, servicePort, app));
        servers.forEach((name, s) -> {
            if (name.startsWith(app + "-")) {
                String version = name.substring(app.length() + 1);
                sb.append("""
                        ---
                        apiVersion: networking.istio.io/v1
                        kind: WorkloadEntry
                        metadata: {name: %s, namespace: %s}
                        spec:
                          address: 127.0.0.1
                          ports: {http: %d}
                          labels: {app: %s, version: %s}
                        """.formatted(name, ns, s.actualPort(), app, version));
            }
        });
        return sb.toString();
    }
}

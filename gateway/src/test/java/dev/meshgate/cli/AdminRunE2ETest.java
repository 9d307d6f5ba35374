package dev.meshgate.cli;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code meshgate run} with the admin API, in-process: a VirtualService POSTed to the admin API routes real HTTP
 * traffic to a real backend, and the views show it.
 */
class AdminRunE2ETest {

    @TempDir
    Path dir;

    private final HttpProbe http = new HttpProbe();
    private InProcessRun run;

    @AfterEach
    void stop() throws Exception {
        if (run != null) {
            run.close();
        }
        http.close();
    }

    static String gateway() {
        return """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*"]
                """;
    }

    static String serviceEntry(int backendPort) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: backend, namespace: default}
                spec:
                  hosts: [backend.example.internal]
                  location: MESH_EXTERNAL
                  resolution: STATIC
                  ports: [{number: 8080, name: http, protocol: HTTP}]
                  endpoints: [{address: 127.0.0.1, ports: {http: %d}}]
                """.formatted(backendPort);
    }

    static String virtualService(String name, String host, String prefix) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: %s, namespace: default}
                spec:
                  hosts: [%s]
                  gateways: [istio-system/gw]
                  http:
                  - match: [{uri: {prefix: %s}}]
                    route:
                    - destination: {host: backend.example.internal, port: {number: 8080}}
                """.formatted(name, host, prefix);
    }

    private int start(String... extra) throws Exception {
        String[] base = {"-c", dir.resolve("config").toString(), "--port-map", "80=0"};
        run = InProcessRun.start(java.util.stream.Stream.of(base, extra).flatMap(java.util.Arrays::stream)
                .toArray(String[]::new));
        return run.adminPort();
    }

    @Test
    void aVirtualServicePostedToTheAdminApiServesTraffic() throws Exception {
        HttpServer backend = HttpProbe.await(http.vertx.createHttpServer()
                .requestHandler(req -> req.response().end("backend saw " + req.path()))
                .listen(0, "127.0.0.1"));
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("gw.yaml"), gateway());
        Files.writeString(config.resolve("backend.yaml"), serviceEntry(backend.actualPort()));
        Path tokens = Files.writeString(dir.resolve("tokens"), "editor-secret editor alice\nviewer-secret viewer\n");
        Path audit = dir.resolve("audit.jsonl");

        int admin = start("--admin-tokens", tokens.toString(), "--admin-audit-log", audit.toString());
        http.adminToken = "viewer-secret";
        assertTrue(admin > 0, "admin port " + admin);

        JsonObject listeners = http.admin(admin, "/listeners");
        JsonObject l80 = listeners.getJsonArray("listeners").getJsonObject(0);
        assertEquals(80, l80.getInteger("port"));
        int port = l80.getInteger("boundPort");
        assertEquals(404, http.get(port, "api.example.com", "/v1/x").status(), "no route before the POST");

        String path = "/apis/networking.istio.io/v1/namespaces/default/virtualservices";
        String vs = virtualService("api", "api.example.com", "/v1");
        assertEquals(403, http.send(HttpMethod.POST, admin, null, path, "viewer-secret", "application/yaml", vs)
                .status(), "a viewer cannot write");
        HttpProbe.Resp created = http.send(HttpMethod.POST, admin, null, path, "editor-secret", "application/yaml",
                vs);
        assertEquals(201, created.status(), created.body());
        assertEquals("1", created.json().getJsonObject("metadata").getString("resourceVersion"));

        HttpProbe.Resp routed = http.until(10, () -> http.get(port, "api.example.com", "/v1/x"),
                r -> r.status() == 200);
        assertEquals(200, routed.status(), "the POSTed route did not serve within 10s: " + routed);
        assertEquals("backend saw /v1/x", routed.body());
        assertEquals(404, http.get(port, "api.example.com", "/v2").status(), "only the matched prefix routes");

        // the views show what serves
        JsonObject routes = http.admin(admin, "/routes");
        JsonObject host = find(routes.getJsonArray("listeners").getJsonObject(0).getJsonArray("hosts"), "host",
                "api.example.com");
        JsonObject route = host.getJsonArray("routes").getJsonObject(0);
        assertEquals("/v1", route.getJsonObject("match").getJsonObject("uri").getString("prefix"));
        assertEquals("outbound|8080||backend.example.internal", route.getJsonObject("action")
                .getJsonArray("destinations").getJsonObject(0).getString("cluster"));

        JsonObject clusters = http.admin(admin, "/clusters");
        JsonObject cluster = find(clusters.getJsonArray("clusters"), "name", "outbound|8080||backend.example.internal");
        assertEquals("127.0.0.1:" + backend.actualPort(),
                cluster.getJsonArray("endpoints").getJsonObject(0).getString("address"));

        JsonObject status = http.admin(admin, "/status");
        JsonObject members = http.admin(admin, "/cluster/members");
        JsonObject self = members.getJsonArray("members").getJsonObject(0);
        assertTrue(self.getBoolean("local"));
        assertEquals(status.getString("lastAppliedHash"), self.getString("appliedHash"));
        assertEquals(status.getLong("lastAppliedVersion"), self.getLong("appliedVersion"));
        assertEquals(new JsonArray(), http.admin(admin, "/certs").getJsonArray("certificates"));

        String dump = http.send(HttpMethod.GET, admin, null, "/config_dump", "viewer-secret", null, null).body();
        assertTrue(dump.contains("api.example.com") && dump.contains("backend.example.internal"), dump);

        // a file-layer resource cannot be shadowed through the API; the audit log has the create
        HttpProbe.Resp conflict = http.send(HttpMethod.POST, admin, null,
                "/apis/networking.istio.io/v1/namespaces/default/serviceentries", "editor-secret", "application/yaml",
                serviceEntry(1));
        assertEquals(409, conflict.status(), conflict.body());
        String auditText = Files.readString(audit);
        assertTrue(auditText.contains("\"verb\":\"create\"") && auditText.contains("token:alice")
                && auditText.contains("VirtualService default/api"), auditText);
    }

    @Test
    void withoutTokensTheAdminApiIsReadOnly() throws Exception {
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("gw.yaml"), gateway());
        int admin = start();
        HttpProbe.Resp refused = http.send(HttpMethod.POST, admin, null,
                "/apis/networking.istio.io/v1/namespaces/default/virtualservices", null, "application/yaml",
                virtualService("api", "api.example.com", "/"));
        assertEquals(403, refused.status());
        assertTrue(refused.body().contains("--admin-tokens"), refused.body());
        assertEquals(1, http.admin(admin, "/listeners").getJsonArray("listeners").size());
    }

    @Test
    void badAdminAndClusterFlagsAreUsageErrors() throws Exception {
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("gw.yaml"), gateway());
        for (String[] args : List.of(
                new String[]{"--admin-port", "70000"},
                new String[]{"--admin-tokens", dir.resolve("missing-tokens").toString()},
                new String[]{"--cluster-members", "127.0.0.1:5701"},
                new String[]{"--cluster", "--cluster-members", "127.0.0.1:5701", "--cluster-dns", "x.example"},
                new String[]{"--cluster-dns-server", "127.0.0.1", "--cluster", "--cluster-dns", "x.example"},
                new String[]{"--cluster-dns-server", "127.0.0.1:53", "--cluster", "--cluster-members", "a:5701"})) {
            CommandLine cl = Main.commandLine();
            StringWriter err = new StringWriter();
            cl.setOut(new PrintWriter(new StringWriter()));
            cl.setErr(new PrintWriter(err));
            String[] all = new String[args.length + 3];
            all[0] = "run";
            all[1] = "-c";
            all[2] = config.toString();
            System.arraycopy(args, 0, all, 3, args.length);
            assertEquals(2, cl.execute(all), String.join(" ", args) + ": " + err);
            assertTrue(err.toString().contains(args[0].equals("--cluster") ? "--cluster-dns" : args[0]), err.toString());
        }
    }

    static JsonObject find(JsonArray array, String field, String value) {
        for (int i = 0; i < array.size(); i++) {
            if (value.equals(array.getJsonObject(i).getString(field))) {
                return array.getJsonObject(i);
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + array.encodePrettily());
    }
}

package dev.meshgate.admin;

import dev.meshgate.admin.auth.TokenFile;
import dev.meshgate.admin.views.AdminViews;
import dev.meshgate.admin.views.StatusView;
import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.snapshot.ConfigStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminViewsTest {

    private static final Map<String, String> EDITOR = Map.of("Authorization", "Bearer e");

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final AdminViews views = new AdminViews();
    private AdminServer server;
    private Http http;

    @AfterEach
    void stop() {
        http.close();
        Http.await(server.close());
        Http.await(vertx.close());
    }

    private void start() {
        AdminOptions o = new AdminOptions().setPort(0).setTokens(TokenFile.parse("t", "e editor ops\n"))
                .setAuditLog(dir.resolve("audit/admin-audit.log"));
        server = Http.await(AdminServer.builder(vertx).options(o).views(views).build().start());
        http = new Http(vertx, server.port());
    }

    @Test
    void viewsWithoutAProviderAnswer503WithAReason() {
        start();
        for (String path : List.of("/listeners", "/routes", "/clusters", "/certs", "/cluster/members", "/status",
                "/config_dump")) {
            Http.Response r = http.get(path, EDITOR);
            assertEquals(503, r.status(), path);
            JsonObject body = r.json();
            assertEquals("ServiceUnavailable", body.getString("reason"), path);
            assertTrue(body.getString("message").contains("no "), body.getString("message"));
        }
    }

    @Test
    void registeredProvidersAreServedAsJsonOrYaml() {
        start();
        // registered after the server started, as the gateway does once its listeners are up
        views.listeners(() -> Future.succeededFuture(new JsonObject().put("listeners",
                new JsonArray().add(new JsonObject().put("name", "0.0.0.0_8080").put("port", 8080)))));
        views.members(() -> Future.failedFuture(new IllegalStateException("cluster gone")));
        Http.Response r = http.get("/listeners", EDITOR);
        assertEquals(200, r.status());
        assertEquals(8080, r.json().getJsonArray("listeners").getJsonObject(0).getInteger("port"));
        assertEquals("application/json", r.headers().get("Content-Type"));

        Http.Response y = http.get("/listeners", Map.of("Authorization", "Bearer e", "Accept", "application/yaml"));
        assertEquals("application/yaml", y.headers().get("Content-Type"));
        Map<String, Object> parsed = new Yaml().load(y.body());
        assertEquals(List.of(Map.of("name", "0.0.0.0_8080", "port", 8080)), parsed.get("listeners"));

        Http.Response failed = http.get("/cluster/members", EDITOR);
        assertEquals(500, failed.status());
        assertTrue(failed.json().getString("message").contains("cluster gone"));
    }

    @Test
    void statusShowsLastAppliedVersionAndLastError() {
        start();
        Instant at = Instant.parse("2026-11-26T10:00:00Z");
        Diagnostic error = Diagnostic.error("a.yaml", 3, "VirtualService default/r", "spec.hosts", "required");
        views.status(StatusView.of(() -> new ConfigStatus(7, "abc", at, List.of(), at.plusSeconds(5),
                List.of(error), true)));
        JsonObject s = http.get("/status", EDITOR).json();
        assertEquals(7, s.getLong("lastAppliedVersion"));
        assertEquals("2026-11-26T10:00:00Z", s.getString("lastAppliedAt"));
        assertTrue(s.getBoolean("failing"));
        assertEquals("2026-11-26T10:00:05Z", s.getString("lastErrorAt"));
        assertEquals("a.yaml:3: VirtualService default/r: spec.hosts: required",
                s.getJsonArray("lastErrors").getString(0));
    }

    @Test
    void loggingChangesAJulLevelAndIsAudited() throws Exception {
        start();
        String name = "dev.meshgate.admin.viewstest";
        Http.Response set = http.send(HttpMethod.POST, "/logging", Map.of("Authorization", "Bearer e",
                "Content-Type", "application/json"), "{\"logger\": \"" + name + "\", \"level\": \"debug\"}");
        assertEquals(200, set.status(), set.body());
        assertEquals("FINE", set.json().getJsonObject("loggers").getString(name));
        assertEquals(Level.FINE, Logger.getLogger(name).getLevel());
        assertEquals("FINE", http.get("/logging", EDITOR).json().getJsonObject("loggers").getString(name));

        Http.Response bad = http.send(HttpMethod.POST, "/logging?logger=x&level=loud", EDITOR, null);
        assertEquals(400, bad.status());
        assertTrue(bad.json().getString("message").startsWith("unknown level \"loud\""));

        // the audit line is on disk before the answer is sent
        List<String> lines = Files.readAllLines(dir.resolve("audit/admin-audit.log"));
        assertEquals(1, lines.size(), lines.toString());
        JsonObject entry = new JsonObject(lines.get(0));
        assertEquals("token:ops", entry.getString("principal"));
        assertEquals("set-log-level", entry.getString("verb"));
        assertEquals("logger " + name + " inherit -> FINE", entry.getString("resource"));
        assertFalse(entry.getBoolean("dryRun"));
        assertNull(entry.getString("newResourceVersion"));
        assertTrue(Instant.parse(entry.getString("time")).isAfter(Instant.parse("2026-01-01T00:00:00Z")));
    }

    @Test
    void openApiDocumentDescribesEveryRoute() {
        start();
        Http.Response r = http.get("/openapi.yaml", EDITOR);
        assertEquals(200, r.status());
        assertEquals("application/yaml", r.headers().get("Content-Type"));
        Map<String, Object> doc = new Yaml().load(r.body());
        assertTrue(doc.get("openapi").toString().startsWith("3."));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
        int checked = 0;
        for (Route route : server.router().getRoutes()) {
            String p = route.getPath();
            if (p == null || route.methods() == null || route.methods().isEmpty()) {
                continue; // the auth handler and the catch-all
            }
            String openapiPath = p.replaceAll(":([a-z]+)", "{$1}");
            assertTrue(paths.containsKey(openapiPath), "openapi.yaml lacks " + openapiPath);
            for (HttpMethod m : route.methods()) {
                assertTrue(paths.get(openapiPath).containsKey(m.name().toLowerCase()),
                        "openapi.yaml lacks " + m + " " + openapiPath);
                checked++;
            }
        }
        assertTrue(checked >= 10, "only " + checked + " operations checked");
        // and nothing documented that is not served (the /apis routes: see AdminResourcesTest)
        for (String documented : paths.keySet()) {
            if (documented.startsWith("/apis/")) {
                continue;
            }
            boolean served = server.router().getRoutes().stream().anyMatch(rt -> rt.getPath() != null
                    && rt.getPath().replaceAll(":([a-z]+)", "{$1}").equals(documented));
            assertTrue(served, "openapi.yaml documents " + documented + " which is not served");
        }
    }
}

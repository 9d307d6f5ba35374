package dev.meshgate.admin;

import dev.meshgate.admin.auth.AuthHandler;
import dev.meshgate.admin.auth.Role;
import dev.meshgate.admin.auth.TokenFile;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminAuthTest {

    private final Vertx vertx = Vertx.vertx();
    private AdminServer server;
    private Http http;

    @AfterEach
    void stop() {
        if (http != null) {
            http.close();
        }
        if (server != null) {
            Http.await(server.close());
        }
        Http.await(vertx.close());
    }

    private void start(AdminOptions options) {
        server = Http.await(AdminServer.builder(vertx).options(options.setPort(0)).build().start());
        http = new Http(vertx, server.port());
    }

    private static AdminOptions withTokens() {
        return new AdminOptions().setTokens(TokenFile.parse("tokens", """
                # token role [name]
                edit-token editor alice
                view-token viewer
                """));
    }

    @Test
    void missingOrUnknownTokenIs401() {
        start(withTokens());
        Http.Response none = http.get("/logging", Map.of());
        assertEquals(401, none.status());
        assertEquals("Unauthorized", none.json().getString("reason"));
        assertTrue(none.headers().get("WWW-Authenticate").startsWith("Bearer"));
        assertEquals(401, http.get("/logging", Map.of("Authorization", "Bearer nope")).status());
        assertEquals(401, http.get("/logging", Map.of("Authorization", "Basic dXNlcjpwYXNz")).status());
    }

    @Test
    void viewerReadsButMayNotWrite() {
        start(withTokens());
        assertEquals(200, http.get("/logging", Map.of("Authorization", "Bearer view-token")).status());
        Http.Response write = http.send(HttpMethod.POST, "/logging?logger=dev.meshgate.test&level=FINE",
                Map.of("Authorization", "Bearer view-token"), null);
        assertEquals(403, write.status());
        JsonObject status = write.json();
        assertEquals("Status", status.getString("kind"));
        assertEquals("Forbidden", status.getString("reason"));
        assertTrue(status.getString("message").contains("role viewer"), status.getString("message"));
    }

    @Test
    void editorMayWrite() {
        start(withTokens());
        Http.Response write = http.send(HttpMethod.POST, "/logging?logger=dev.meshgate.authtest&level=FINE",
                Map.of("Authorization", "Bearer edit-token"), null);
        assertEquals(200, write.status(), write.body());
    }

    @Test
    void withoutCredentialsReadsWorkAndWritesAreRefusedWithAHint() {
        start(new AdminOptions());
        assertEquals(200, http.get("/logging", Map.of()).status());
        Http.Response write = http.send(HttpMethod.POST, "/logging?level=FINE", Map.of(), null);
        assertEquals(403, write.status());
        assertEquals(AuthHandler.READ_ONLY_MESSAGE, write.json().getString("message"));
        assertTrue(write.json().getString("message").contains("--admin-tokens"));
        // a token sent to a server without credentials changes nothing
        assertEquals(403, http.send(HttpMethod.POST, "/logging?level=FINE",
                Map.of("Authorization", "Bearer whatever"), null).status());
    }

    @Test
    void withoutCredentialsItRefusesANonLoopbackAddress() {
        AdminServer s = AdminServer.builder(vertx).options(new AdminOptions().setHost("0.0.0.0").setPort(0)).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Http.await(s.start()));
        assertTrue(e.getCause().getMessage().contains("refusing to bind the admin API to 0.0.0.0 without credentials"),
                e.getCause().getMessage());
        assertEquals(-1, s.port());
    }

    @Test
    void loopbackNames() {
        assertTrue(AdminServer.isLoopback("127.0.0.1"));
        assertTrue(AdminServer.isLoopback("127.1.2.3"));
        assertTrue(AdminServer.isLoopback("localhost"));
        assertTrue(AdminServer.isLoopback("[::1]"));
        assertEquals(false, AdminServer.isLoopback("0.0.0.0"));
        assertEquals(false, AdminServer.isLoopback("10.0.0.1"));
        assertEquals(false, AdminServer.isLoopback("admin.example.com"));
    }

    @Test
    void tokenFileForms() {
        TokenFile lines = TokenFile.parse("t", "a editor alice\n\n# comment\nb viewer\n");
        assertEquals(new dev.meshgate.admin.auth.Principal("token:alice", Role.EDITOR), lines.lookup("a"));
        assertEquals(Role.VIEWER, lines.lookup("b").role());
        assertTrue(lines.lookup("b").name().matches("token:[0-9a-f]{8}"), lines.lookup("b").name());
        assertNull(lines.lookup("c"));

        TokenFile yaml = TokenFile.parse("t.yaml", """
                tokens:
                  - token: y1
                    role: editor
                    name: bob
                  - {token: y2, role: viewer}
                """);
        assertEquals("token:bob", yaml.lookup("y1").name());
        assertEquals(Role.VIEWER, yaml.lookup("y2").role());

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> TokenFile.parse("t", "a editor\nb admin\n"));
        assertEquals("t:2: unknown role \"admin\"; use viewer or editor", bad.getMessage());
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> TokenFile.parse("t", "a editor\na viewer\n"));
        assertEquals("t:2: duplicate token", dup.getMessage());
    }
}

package dev.meshgate.admin;

import dev.meshgate.admin.auth.TokenFile;
import dev.meshgate.admin.resources.LoaderCodec;
import dev.meshgate.admin.resources.ResourceHandler;
import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.ResourceKey;
import dev.meshgate.config.model.networking.VirtualService;
import dev.meshgate.config.store.ConfigLayers;
import dev.meshgate.config.store.InMemoryResourceStore;
import dev.meshgate.config.validation.ConfigValidator;
import dev.meshgate.config.yaml.LoadResult;
import dev.meshgate.config.yaml.ResourceLoader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminResourcesTest {

    static final String VS = "/apis/networking.istio.io/v1/namespaces/default/virtualservices";
    static final String REVIEWS = VS + "/reviews";
    static final Map<String, String> JSON = Map.of("Authorization", "Bearer e", "Content-Type", "application/json");
    static final Map<String, String> YAML = Map.of("Authorization", "Bearer e", "Content-Type", "application/yaml");
    static final Map<String, String> EDITOR = Map.of("Authorization", "Bearer e");

    static final String REVIEWS_YAML = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: reviews
            spec:
              hosts:
              - reviews.example.com
              http:
              - route:
                - destination:
                    host: reviews.default.svc.cluster.local
            """;

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final InMemoryResourceStore store = new InMemoryResourceStore();
    private final ConfigLayers layers = new ConfigLayers(store);
    private AdminServer server;
    private Http http;
    private Path audit;

    @BeforeEach
    void start() {
        audit = dir.resolve("audit.log");
        AdminOptions o = new AdminOptions().setPort(0).setAuditLog(audit)
                .setTokens(TokenFile.parse("tokens", "e editor alice\nv viewer bob\n"));
        server = Http.await(AdminServer.builder(vertx).options(o)
                .resources(layers, new LoaderCodec(), new ConfigValidator()).build().start());
        http = new Http(vertx, server.port());
    }

    @AfterEach
    void stop() {
        http.close();
        Http.await(server.close());
        Http.await(vertx.close());
    }

    static String json(String host, String resourceVersion) {
        JsonObject meta = new JsonObject().put("name", "reviews").put("namespace", "default");
        if (resourceVersion != null) {
            meta.put("resourceVersion", resourceVersion);
        }
        return new JsonObject().put("apiVersion", "networking.istio.io/v1").put("kind", "VirtualService")
                .put("metadata", meta)
                .put("spec", new JsonObject().put("hosts", new JsonArray().add(host))
                        .put("http", new JsonArray().add(new JsonObject().put("route", new JsonArray().add(
                                new JsonObject().put("destination", new JsonObject().put("host", "reviews")))))))
                .encode();
    }

    private Resource<?> stored(String name) {
        return Http.await(store.get(new ResourceKey(Kind.VIRTUAL_SERVICE, "default", name)));
    }

    private List<JsonObject> auditEntries() throws Exception {
        List<JsonObject> out = new ArrayList<>();
        if (Files.exists(audit)) {
            for (String line : Files.readAllLines(audit)) {
                out.add(new JsonObject(line));
            }
        }
        return out;
    }

    @Test
    void everyVerbRoundTripsThroughTheStoreAndIsAudited() throws Exception {
        Http.Response created = http.send(HttpMethod.POST, VS, JSON, json("a.example.com", null));
        assertEquals(201, created.status(), created.body());
        JsonObject c = created.json();
        assertEquals("networking.istio.io/v1", c.getString("apiVersion"));
        String rv1 = c.getJsonObject("metadata").getString("resourceVersion");
        assertNotNull(rv1);
        assertNotNull(c.getJsonObject("metadata").getString("creationTimestamp"));
        assertEquals(List.of("a.example.com"), ((VirtualService) stored("reviews").spec()).hosts());
        assertEquals("admin-api", stored("reviews").source().file());

        Http.Response got = http.get(REVIEWS, EDITOR);
        assertEquals(200, got.status());
        assertEquals("a.example.com", got.json().getJsonObject("spec").getJsonArray("hosts").getString(0));

        Http.Response list = http.get(VS, EDITOR);
        assertEquals("VirtualServiceList", list.json().getString("kind"));
        assertEquals(1, list.json().getJsonArray("items").size());
        assertEquals(rv1, list.json().getJsonObject("metadata").getString("resourceVersion"));
        Http.Response all = http.get("/apis/networking.istio.io/v1beta1/virtualservices", EDITOR);
        assertEquals(200, all.status());
        assertEquals("networking.istio.io/v1beta1", all.json().getJsonArray("items").getJsonObject(0)
                .getString("apiVersion"), "served versions share one schema; answers use the requested one");
        assertEquals(0, http.get("/apis/networking.istio.io/v1/namespaces/prod/virtualservices", EDITOR).json()
                .getJsonArray("items").size());

        Http.Response replaced = http.send(HttpMethod.PUT, REVIEWS, JSON, json("b.example.com", rv1));
        assertEquals(200, replaced.status(), replaced.body());
        String rv2 = replaced.json().getJsonObject("metadata").getString("resourceVersion");
        assertFalse(rv1.equals(rv2));
        assertEquals(2L, replaced.json().getJsonObject("metadata").getLong("generation"));

        Http.Response patched = http.send(HttpMethod.PATCH, REVIEWS,
                Map.of("Authorization", "Bearer e", "Content-Type", "application/merge-patch+json"),
                "{\"metadata\": {\"labels\": {\"team\": \"books\"}}, \"spec\": {\"hosts\": [\"c.example.com\"]}}");
        assertEquals(200, patched.status(), patched.body());
        String rv3 = patched.json().getJsonObject("metadata").getString("resourceVersion");
        assertEquals("books", stored("reviews").metadata().labels().get("team"));
        assertEquals(List.of("c.example.com"), ((VirtualService) stored("reviews").spec()).hosts());

        Http.Response deleted = http.send(HttpMethod.DELETE, REVIEWS, EDITOR, null);
        assertEquals(200, deleted.status(), deleted.body());
        assertNull(stored("reviews"));
        Http.Response gone = http.get(REVIEWS, EDITOR);
        assertEquals(404, gone.status());
        assertEquals("virtualservices.networking.istio.io \"reviews\" not found", gone.json().getString("message"));
        assertEquals("NotFound", gone.json().getString("reason"));

        List<JsonObject> entries = auditEntries();
        assertEquals(List.of("create", "update", "patch", "delete"),
                entries.stream().map(e -> e.getString("verb")).toList());
        assertEquals(List.of(201, 200, 200, 200), entries.stream().map(e -> e.getInteger("code")).toList());
        for (JsonObject e : entries) {
            assertEquals("token:alice", e.getString("principal"));
            assertEquals("networking.istio.io/v1 VirtualService default/reviews", e.getString("resource"));
            assertFalse(e.getBoolean("dryRun"));
        }
        assertNull(entries.get(0).getString("oldResourceVersion"));
        assertEquals(rv1, entries.get(0).getString("newResourceVersion"));
        assertEquals(rv1, entries.get(1).getString("oldResourceVersion"));
        assertEquals(rv2, entries.get(1).getString("newResourceVersion"));
        assertEquals(rv2, entries.get(2).getString("oldResourceVersion"));
        assertEquals(rv3, entries.get(2).getString("newResourceVersion"));
        assertEquals(rv3, entries.get(3).getString("oldResourceVersion"));
        assertNull(entries.get(3).getString("newResourceVersion"));
    }

    @Test
    void yamlBodyTakesThePathNamespaceAndYamlIsAnsweredWhenAccepted() {
        String prod = "/apis/networking.istio.io/v1/namespaces/prod/virtualservices";
        Map<String, String> h = new HashMap<>(YAML);
        h.put("Accept", "application/yaml");
        Http.Response r = http.send(HttpMethod.POST, prod, h, REVIEWS_YAML);
        assertEquals(201, r.status(), r.body());
        assertEquals("application/yaml", r.headers().get("Content-Type"));
        Map<String, Object> doc = new Yaml().load(r.body());
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) doc.get("metadata");
        assertEquals("prod", meta.get("namespace"));
        assertNotNull(Http.await(store.get(new ResourceKey(Kind.VIRTUAL_SERVICE, "prod", "reviews"))));

        Http.Response mismatch = http.send(HttpMethod.POST, VS, YAML,
                REVIEWS_YAML.replace("  name: reviews\n", "  name: reviews\n  namespace: prod\n"));
        assertEquals(400, mismatch.status());
        assertTrue(mismatch.json().getString("message").contains("does not match the namespace sent on the request"));
    }

    @Test
    void dryRunValidatesWithoutApplyingAndIsAudited() throws Exception {
        Http.Response dry = http.send(HttpMethod.POST, VS + "?dryRun=All", YAML, REVIEWS_YAML);
        assertEquals(201, dry.status(), dry.body());
        assertEquals("reviews", dry.json().getJsonObject("metadata").getString("name"));
        assertNull(stored("reviews"));

        Http.Response real = http.send(HttpMethod.POST, VS, YAML, REVIEWS_YAML);
        assertEquals(201, real.status());
        String rv = real.json().getJsonObject("metadata").getString("resourceVersion");
        Http.Response dryPut = http.send(HttpMethod.PUT, REVIEWS + "?dryRun=All", JSON, json("z.example.com", rv));
        assertEquals(200, dryPut.status(), dryPut.body());
        assertEquals("z.example.com", dryPut.json().getJsonObject("spec").getJsonArray("hosts").getString(0));
        assertEquals(List.of("reviews.example.com"), ((VirtualService) stored("reviews").spec()).hosts());
        Http.Response dryDelete = http.send(HttpMethod.DELETE, REVIEWS + "?dryRun=All", EDITOR, null);
        assertEquals(200, dryDelete.status());
        assertNotNull(stored("reviews"));
        Http.Response dryExisting = http.send(HttpMethod.POST, VS + "?dryRun=All", YAML, REVIEWS_YAML);
        assertEquals(409, dryExisting.status(), "a dry run reports what the real call would");

        Http.Response bogus = http.send(HttpMethod.POST, VS + "?dryRun=Some", YAML, REVIEWS_YAML);
        assertEquals(400, bogus.status());

        List<JsonObject> entries = auditEntries();
        assertEquals(List.of(true, false, true, true, true),
                entries.stream().map(e -> e.getBoolean("dryRun")).toList());
        assertNull(entries.get(0).getString("newResourceVersion"), "a dry run applies no version");
        assertEquals(rv, entries.get(2).getString("oldResourceVersion"));
    }

    @Test
    void staleResourceVersionIsAConflict() {
        Http.Response c = http.send(HttpMethod.POST, VS, JSON, json("a.example.com", null));
        String rv1 = c.json().getJsonObject("metadata").getString("resourceVersion");
        assertEquals(200, http.send(HttpMethod.PUT, REVIEWS, JSON, json("b.example.com", rv1)).status());

        Http.Response stale = http.send(HttpMethod.PUT, REVIEWS, JSON, json("c.example.com", rv1));
        assertEquals(409, stale.status());
        JsonObject s = stale.json();
        assertEquals("Status", s.getString("kind"));
        assertEquals("Failure", s.getString("status"));
        assertEquals("Conflict", s.getString("reason"));
        assertEquals(409, s.getInteger("code"));
        assertTrue(s.getString("message").startsWith("Operation cannot be fulfilled on virtualservices"
                + ".networking.istio.io \"reviews\": the object has been modified"), s.getString("message"));

        Http.Response stalePatch = http.send(HttpMethod.PATCH, REVIEWS,
                Map.of("Authorization", "Bearer e", "Content-Type", "application/merge-patch+json"),
                "{\"metadata\": {\"resourceVersion\": \"" + rv1 + "\"}, \"spec\": {\"hosts\": [\"d.example.com\"]}}");
        assertEquals(409, stalePatch.status());
        Http.Response staleDelete = http.send(HttpMethod.DELETE, REVIEWS, JSON,
                "{\"preconditions\": {\"resourceVersion\": \"" + rv1 + "\"}}");
        assertEquals(409, staleDelete.status());
        assertEquals(List.of("b.example.com"), ((VirtualService) stored("reviews").spec()).hosts());

        Http.Response again = http.send(HttpMethod.POST, VS, JSON, json("a.example.com", null));
        assertEquals(409, again.status());
        assertEquals("AlreadyExists", again.json().getString("reason"));
    }

    @Test
    void mergePatchRemovesWithNullAndRefusesOtherPatchTypes() {
        http.send(HttpMethod.POST, VS, YAML, REVIEWS_YAML.replace("  name: reviews\n",
                "  name: reviews\n  labels:\n    team: books\n    tier: web\n"));
        Http.Response p = http.send(HttpMethod.PATCH, REVIEWS,
                Map.of("Authorization", "Bearer e", "Content-Type", "application/merge-patch+json"),
                "{\"metadata\": {\"labels\": {\"tier\": null}}}");
        assertEquals(200, p.status(), p.body());
        assertEquals(Map.of("team", "books"), stored("reviews").metadata().labels());

        Http.Response jsonPatch = http.send(HttpMethod.PATCH, REVIEWS,
                Map.of("Authorization", "Bearer e", "Content-Type", "application/json-patch+json"), "[]");
        assertEquals(415, jsonPatch.status());
        Http.Response renaming = http.send(HttpMethod.PATCH, REVIEWS,
                Map.of("Authorization", "Bearer e", "Content-Type", "application/merge-patch+json"),
                "{\"metadata\": {\"name\": \"other\"}}");
        assertEquals(400, renaming.status());
        Http.Response missing = http.send(HttpMethod.PATCH, VS + "/nope",
                Map.of("Authorization", "Bearer e", "Content-Type", "application/merge-patch+json"), "{}");
        assertEquals(404, missing.status());
    }

    @Test
    void loaderErrorsAre422WithTheValidateCommandsText() {
        String bad = REVIEWS_YAML.replace("  http:\n", "  htpp:\n");
        Http.Response r = http.send(HttpMethod.POST, VS, YAML, bad);
        assertEquals(422, r.status(), r.body());
        LoadResult direct = new ResourceLoader().load(ResourceHandler.BODY_SOURCE, bad);
        List<String> expected = direct.errors().stream().map(Diagnostic::format).toList();
        assertFalse(expected.isEmpty());
        assertTrue(expected.get(0).startsWith("request-body:"), expected.get(0));
        assertTrue(expected.get(0).contains("spec.htpp"), expected.get(0));
        JsonObject s = r.json();
        assertEquals("Invalid", s.getString("reason"));
        assertEquals("VirtualService default/reviews is invalid:\n" + String.join("\n", expected),
                s.getString("message"));
        assertEquals(expected, s.getJsonObject("details").getJsonArray("causes").stream()
                .map(o -> ((JsonObject) o).getString("message")).toList());
        assertNull(stored("reviews"));
    }

    @Test
    void validatorErrorsAre422WithTheValidateCommandsText() throws Exception {
        String bad = REVIEWS_YAML.replace("    - destination:\n", "    - weight: -5\n      destination:\n");
        LoadResult loaded = new ResourceLoader().load(ResourceHandler.BODY_SOURCE, bad);
        assertTrue(loaded.errors().isEmpty(), loaded.diagnostics().toString());
        List<String> expected = new ConfigValidator().validate(loaded.resources()).diagnostics().stream()
                .filter(Diagnostic::isError).map(Diagnostic::format).toList();
        assertFalse(expected.isEmpty(), "the fixture must be invalid");

        Http.Response r = http.send(HttpMethod.POST, VS, YAML, bad);
        assertEquals(422, r.status(), r.body());
        assertEquals("VirtualService default/reviews is invalid:\n" + String.join("\n", expected),
                r.json().getString("message"));
        assertTrue(r.json().getString("message").contains("request-body:"), r.json().getString("message"));
        assertNull(stored("reviews"));
        Http.Response dry = http.send(HttpMethod.POST, VS + "?dryRun=All", YAML, bad);
        assertEquals(422, dry.status());

        List<JsonObject> entries = auditEntries();
        assertEquals(2, entries.size(), "refused writes are audited too");
        assertEquals(422, entries.get(0).getInteger("code"));
        assertEquals("networking.istio.io/v1 VirtualService default/reviews", entries.get(0).getString("resource"));
        assertNull(entries.get(0).getString("newResourceVersion"));
        assertTrue(entries.get(1).getBoolean("dryRun"));
    }

    @Test
    void validationWarningsComeBackAsWarningHeaders() {
        String text = REVIEWS_YAML.replace("  hosts:", "  gateways: [nope]\n  hosts:");
        LoadResult loaded = new ResourceLoader().load(ResourceHandler.BODY_SOURCE, text);
        List<String> expected = new ConfigValidator().validate(loaded.resources()).diagnostics().stream()
                .filter(d -> !d.isError()).map(d -> "299 - \"" + d.format().replace("\"", "\\\"") + "\"").toList();
        assertTrue(expected.stream().anyMatch(w -> w.contains("Gateway default/nope")), expected.toString());
        Http.Response r = http.send(HttpMethod.POST, VS, YAML, text);
        assertEquals(201, r.status(), "warnings never block a write");
        assertEquals(expected, r.headers().getAll("Warning"));
    }

    @Test
    void unknownGroupVersionOrPluralIs404() {
        assertEquals(404, http.get("/apis/networking.istio.io/v9/namespaces/default/virtualservices", EDITOR).status());
        assertEquals(404, http.get("/apis/example.com/v1/namespaces/default/virtualservices", EDITOR).status());
        Http.Response r = http.send(HttpMethod.POST, "/apis/networking.istio.io/v1/namespaces/default/widgets",
                YAML, REVIEWS_YAML);
        assertEquals(404, r.status());
        assertEquals("NotFound", r.json().getString("reason"));
        Http.Response wrongKind = http.send(HttpMethod.POST,
                "/apis/networking.istio.io/v1/namespaces/default/gateways", YAML, REVIEWS_YAML);
        assertEquals(400, wrongKind.status());
    }

    @Test
    void aResourceOfTheFileLayerCannotBeShadowedThroughTheApi() {
        LoadResult file = new ResourceLoader().load("routes/reviews.yaml", REVIEWS_YAML);
        layers.setFileLayer(file.resources());
        Http.Response r = http.send(HttpMethod.POST, VS, YAML, REVIEWS_YAML);
        assertEquals(409, r.status());
        assertEquals("VirtualService default/reviews is defined in the file layer (routes/reviews.yaml:1); a"
                + " resource may be defined in one layer only: change it in the file, or remove it there before"
                + " managing it through the API", r.json().getString("message"));
        assertEquals(409, http.send(HttpMethod.PUT, REVIEWS, YAML, REVIEWS_YAML).status());
        assertEquals(409, http.send(HttpMethod.DELETE, REVIEWS, EDITOR, null).status());
        assertNull(stored("reviews"));
    }

    @Test
    void readersAndStrangersCannotWrite() {
        Http.Response viewer = http.send(HttpMethod.POST, VS,
                Map.of("Authorization", "Bearer v", "Content-Type", "application/yaml"), REVIEWS_YAML);
        assertEquals(403, viewer.status());
        assertTrue(viewer.json().getString("message").startsWith("token:bob has role viewer"));
        assertEquals(200, http.get(VS, Map.of("Authorization", "Bearer v")).status());
        assertEquals(401, http.send(HttpMethod.POST, VS, Map.of("Content-Type", "application/yaml"), REVIEWS_YAML)
                .status());
        assertEquals(401, http.get(VS, Map.of()).status());
        assertNull(stored("reviews"));
    }

    @Test
    void malformedBodiesAre400And415() {
        assertEquals(400, http.send(HttpMethod.POST, VS, JSON, "{not json").status());
        assertEquals(400, http.send(HttpMethod.POST, VS, YAML, "a: [").status());
        assertEquals(400, http.send(HttpMethod.POST, VS, YAML, "- a\n- b\n").status());
        assertEquals(415, http.send(HttpMethod.POST, VS,
                Map.of("Authorization", "Bearer e", "Content-Type", "text/plain"), REVIEWS_YAML).status());
        Http.Response noName = http.send(HttpMethod.POST, VS, YAML, REVIEWS_YAML.replace("  name: reviews\n", "  labels: {}\n"));
        assertEquals(422, noName.status());
        String huge = REVIEWS_YAML + "#" + "x".repeat((int) AdminOptions.DEFAULT_BODY_LIMIT) + "\n";
        Http.Response tooLarge = http.send(HttpMethod.POST, VS, YAML, huge);
        assertEquals(413, tooLarge.status());
        assertEquals("RequestEntityTooLarge", tooLarge.json().getString("reason"));
        assertNull(stored("reviews"));
    }

    @Test
    void openApiDocumentsExactlyTheServedRoutes() {
        Map<String, Object> doc = new Yaml().load(http.get("/openapi.yaml", EDITOR).body());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
        Map<String, List<String>> served = new HashMap<>();
        for (Route route : server.router().getRoutes()) {
            if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) {
                continue;
            }
            String p = route.getPath().replaceAll(":([a-z]+)", "{$1}");
            for (HttpMethod m : route.methods()) {
                served.computeIfAbsent(p, k -> new ArrayList<>()).add(m.name().toLowerCase());
            }
        }
        assertEquals(new java.util.TreeSet<>(served.keySet()), new java.util.TreeSet<>(paths.keySet()));
        served.forEach((p, methods) -> methods.forEach(m ->
                assertTrue(paths.get(p).containsKey(m), "openapi.yaml lacks " + m + " " + p)));
    }
}

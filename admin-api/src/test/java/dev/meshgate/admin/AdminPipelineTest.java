package dev.meshgate.admin;

import dev.meshgate.admin.auth.TokenFile;
import dev.meshgate.admin.resources.LoaderCodec;
import dev.meshgate.admin.views.AdminViews;
import dev.meshgate.admin.views.StatusView;
import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.config.snapshot.SnapshotBuilder;
import dev.meshgate.config.snapshot.SnapshotPublisher;
import dev.meshgate.config.store.ConfigLayers;
import dev.meshgate.config.store.InMemoryResourceStore;
import dev.meshgate.config.store.LayeredSnapshots;
import dev.meshgate.config.validation.ConfigValidator;
import dev.meshgate.config.yaml.LoadResult;
import dev.meshgate.config.yaml.ResourceLoader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.meshgate.admin.AdminResourcesTest.EDITOR;
import static dev.meshgate.admin.AdminResourcesTest.REVIEWS_YAML;
import static dev.meshgate.admin.AdminResourcesTest.VS;
import static dev.meshgate.admin.AdminResourcesTest.YAML;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A write through the API reaches the snapshot pipeline by the store listener, and the views show it. */
class AdminPipelineTest {

    private final Vertx vertx = Vertx.vertx();
    private final InMemoryResourceStore store = new InMemoryResourceStore();
    private final ConfigLayers layers = new ConfigLayers(store);
    private final SnapshotPublisher publisher = new SnapshotPublisher();
    private final LayeredSnapshots pipeline = new LayeredSnapshots(layers,
            new SnapshotBuilder(new ConfigValidator()), publisher);
    private AdminServer server;
    private Http http;

    @BeforeEach
    void start() {
        AdminViews views = new AdminViews().snapshot(publisher::current).status(StatusView.of(publisher::status));
        server = Http.await(AdminServer.builder(vertx)
                .options(new AdminOptions().setPort(0).setTokens(TokenFile.parse("t", "e editor\n")))
                .resources(layers, new LoaderCodec(), new ConfigValidator()).views(views).build().start());
        http = new Http(vertx, server.port());
    }

    @AfterEach
    void stop() {
        pipeline.close();
        http.close();
        Http.await(server.close());
        Http.await(vertx.close());
    }

    @Test
    void anApiWriteBecomesTheServedSnapshot() throws Exception {
        CompletableFuture<ConfigSnapshot> applied = new CompletableFuture<>();
        publisher.subscribe((current, previous) -> applied.complete(current));
        assertEquals(201, http.send(HttpMethod.POST, VS, YAML, REVIEWS_YAML).status());
        ConfigSnapshot s = applied.get(10, TimeUnit.SECONDS);
        assertEquals(1, s.resources().size());

        JsonObject dump = http.get("/config_dump", EDITOR).json();
        assertEquals(s.version(), dump.getLong("version"));
        assertEquals(s.hash(), dump.getString("hash"));
        JsonObject vs = dump.getJsonArray("resources").getJsonObject(0);
        assertEquals("VirtualService", vs.getString("kind"));
        assertEquals("reviews.example.com", vs.getJsonObject("spec").getJsonArray("hosts").getString(0));

        JsonObject status = http.get("/status", EDITOR).json();
        assertEquals(s.version(), status.getLong("lastAppliedVersion"));
        assertEquals(false, status.getBoolean("failing"));
    }

    @Test
    void aFileEditThatCollidesWithTheApiLayerIsRejectedAndShownInStatus() {
        assertEquals(201, http.send(HttpMethod.POST, VS, YAML, REVIEWS_YAML).status());
        ConfigSnapshot good = Http.await(pipeline.rebuild());
        LoadResult file = new ResourceLoader().load("routes/reviews.yaml", REVIEWS_YAML);
        // the rejection is recorded before the rebuild's future completes (as failed)
        Http.await(pipeline.onFileLoad(file.resources(), file.diagnostics()).otherwiseEmpty());
        JsonObject status = http.get("/status", EDITOR).json();
        assertTrue(status.getBoolean("failing"), status.encode());
        String error = status.getJsonArray("lastErrors").getString(0);
        assertTrue(error.startsWith("routes/reviews.yaml:1: VirtualService default/reviews: defined in more than"
                + " one layer: file layer (routes/reviews.yaml:1) and api layer (admin-api, resourceVersion 1)"), error);
        assertEquals(good.version(), status.getLong("lastAppliedVersion"));
        assertEquals(List.of(good), List.of(publisher.current()));
    }
}

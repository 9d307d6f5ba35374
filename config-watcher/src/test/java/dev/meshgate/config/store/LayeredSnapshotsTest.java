package dev.meshgate.config.store;

import dev.meshgate.config.diag.ValidationResult;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.SourceRef;
import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.config.snapshot.InvalidConfigException;
import dev.meshgate.config.snapshot.SnapshotBuilder;
import dev.meshgate.config.snapshot.SnapshotPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.meshgate.config.store.StoreFixtures.await;
import static dev.meshgate.config.store.StoreFixtures.vs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayeredSnapshotsTest {

    private final InMemoryResourceStore store = new InMemoryResourceStore();
    private final SnapshotPublisher publisher = new SnapshotPublisher();
    private final LayeredSnapshots pipeline = new LayeredSnapshots(new ConfigLayers(store),
            new SnapshotBuilder(resources -> new ValidationResult(resources, List.of())), publisher);

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void aStoreWriteIsAppliedByTheListener() throws Exception {
        ConfigSnapshot first = await(pipeline.onFileLoad(
                List.of(vs("default", "reviews", "r.example.com", new SourceRef("reviews.yaml", 1, Map.of()))), List.of()));
        assertEquals(List.of("reviews"), names(first));

        CompletableFuture<ConfigSnapshot> next = new CompletableFuture<>();
        publisher.subscribe((current, previous) -> next.complete(current));
        await(store.create(vs("default", "ratings", "ratings.example.com")));
        ConfigSnapshot second = next.get(10, TimeUnit.SECONDS);
        assertEquals(List.of("ratings", "reviews"), names(second));
        assertTrue(second.version() > first.version());
    }

    @Test
    void aLayerConflictIsRejectedAndTheLastGoodSnapshotKeepsServing() {
        await(store.create(vs("default", "ratings", "ratings.example.com")));
        ConfigSnapshot good = await(pipeline.rebuild());
        assertEquals(List.of("ratings"), names(good));

        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> await(pipeline.onFileLoad(
                List.of(vs("default", "ratings", "x.example.com", new SourceRef("ratings.yaml", 4, Map.of()))),
                List.of())));
        assertTrue(e.diagnostics().get(0).format().contains("file layer (ratings.yaml:4) and api layer (admin-api"),
                e.diagnostics().get(0).format());
        assertEquals(good, publisher.current());
        assertTrue(publisher.status().failing());
    }

    private static List<String> names(ConfigSnapshot s) {
        return s.resources().stream().map(Resource::name).toList();
    }
}

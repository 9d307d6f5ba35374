package dev.meshgate.config.store;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.ResourceKey;
import dev.meshgate.config.model.SourceRef;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.meshgate.config.store.StoreFixtures.await;
import static dev.meshgate.config.store.StoreFixtures.vs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLayersTest {

    @Test
    void disjointLayersMergeIntoOneOrderedList() {
        LayerMerge m = ConfigLayers.merge(List.of(
                new ConfigLayer(ConfigLayers.FILE, List.of(vs("default", "b", "b.example.com", SourceRef.of("b.yaml")))),
                new ConfigLayer(ConfigLayers.API, List.of(vs("default", "a", "a.example.com")))));
        assertFalse(m.hasConflicts());
        assertEquals(List.of("a", "b"), m.resources().stream().map(Resource::name).toList());
    }

    @Test
    void aResourceInBothLayersIsAnErrorNamingBothAndNeitherIsUsed() {
        Resource<?> file = vs("default", "reviews", "file.example.com", new SourceRef("routes/reviews.yaml", 3, Map.of()));
        Resource<?> api = vs("default", "reviews", "api.example.com").withMetadata(
                vs("default", "reviews", "x").metadata()).withSource(SourceRef.of("admin-api"));
        Resource<?> other = vs("default", "ratings", "ratings.example.com");
        LayerMerge m = ConfigLayers.merge(List.of(
                new ConfigLayer(ConfigLayers.FILE, List.of(file)),
                new ConfigLayer(ConfigLayers.API, List.of(api, other))));
        assertEquals(List.of("ratings"), m.resources().stream().map(Resource::name).toList());
        assertEquals(1, m.diagnostics().size());
        Diagnostic d = m.diagnostics().get(0);
        assertTrue(d.isError());
        assertEquals("routes/reviews.yaml:3: VirtualService default/reviews: defined in more than one layer:"
                + " file layer (routes/reviews.yaml:3) and api layer (admin-api); a resource may be defined in one"
                + " layer only, so neither is applied until one is removed", d.format());
    }

    @Test
    void duplicatesInsideOneLayerAreLeftToTheSnapshotBuilder() {
        LayerMerge m = ConfigLayers.merge(List.of(new ConfigLayer(ConfigLayers.FILE, List.of(
                vs("default", "r", "a.example.com", SourceRef.of("a.yaml")),
                vs("default", "r", "b.example.com", SourceRef.of("b.yaml"))))));
        assertFalse(m.hasConflicts());
        assertEquals(2, m.resources().size());
    }

    @Test
    void candidatesMergeTheFileLayerWithTheStore() {
        InMemoryResourceStore store = new InMemoryResourceStore();
        ConfigLayers layers = new ConfigLayers(store);
        layers.setFileLayer(List.of(vs("default", "reviews", "r.example.com", new SourceRef("reviews.yaml", 1, Map.of()))));
        await(store.create(vs("default", "ratings", "ratings.example.com")));
        LayerMerge clean = await(layers.candidates());
        assertEquals(List.of("ratings", "reviews"), clean.resources().stream().map(Resource::name).toList());
        assertTrue(layers.fileResource(new ResourceKey(Kind.VIRTUAL_SERVICE, "default", "reviews")).isPresent());

        // the file is edited to define what the API layer already holds
        layers.setFileLayer(List.of(vs("default", "ratings", "ratings.example.com", new SourceRef("ratings.yaml", 7, Map.of()))));
        LayerMerge conflict = await(layers.candidates());
        assertEquals(List.of(), conflict.resources());
        assertEquals(1, conflict.diagnostics().size());
        String msg = conflict.diagnostics().get(0).format();
        assertTrue(msg.contains("file layer (ratings.yaml:7)"), msg);
        assertTrue(msg.contains("api layer (admin-api, resourceVersion 1)"), msg);
    }
}

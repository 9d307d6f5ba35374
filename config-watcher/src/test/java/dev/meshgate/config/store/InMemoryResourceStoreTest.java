package dev.meshgate.config.store;

import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.ResourceKey;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static dev.meshgate.config.store.StoreFixtures.await;
import static dev.meshgate.config.store.StoreFixtures.vs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InMemoryResourceStoreTest {

    private final Instant t0 = Instant.parse("2026-11-26T10:00:00Z");
    private final InMemoryResourceStore store = new InMemoryResourceStore(Clock.fixed(t0, ZoneOffset.UTC));

    @Test
    void createSetsServerOwnedMetadata() {
        Resource<?> stored = await(store.create(vs("default", "reviews", "reviews.example.com")));
        assertEquals("1", stored.metadata().resourceVersion());
        assertEquals(1L, stored.metadata().generation());
        assertEquals(t0, stored.metadata().creationTimestamp());
        assertEquals(stored, await(store.get(stored.key())));
        assertEquals("1", await(store.currentVersion()));
    }

    @Test
    void createOfExistingKeyFails() {
        await(store.create(vs("default", "reviews", "a.example.com")));
        StoreException e = assertThrows(StoreException.class,
                () -> await(store.create(vs("default", "reviews", "b.example.com"))));
        assertEquals(StoreException.Reason.ALREADY_EXISTS, e.reason());
    }

    @Test
    void replaceWithCurrentVersionBumpsVersionAndGeneration() {
        Resource<?> v1 = await(store.create(vs("default", "reviews", "a.example.com")));
        Resource<?> v2 = await(store.replace(vs("default", "reviews", "b.example.com"), "1"));
        assertNotEquals(v1.metadata().resourceVersion(), v2.metadata().resourceVersion());
        assertEquals(2L, v2.metadata().generation());
        assertEquals(t0, v2.metadata().creationTimestamp());
        // same spec again: new resourceVersion, same generation (as Kubernetes)
        Resource<?> v3 = await(store.replace(vs("default", "reviews", "b.example.com"), null));
        assertEquals(2L, v3.metadata().generation());
        assertEquals("3", v3.metadata().resourceVersion());
    }

    @Test
    void staleResourceVersionConflicts() {
        await(store.create(vs("default", "reviews", "a.example.com")));
        await(store.replace(vs("default", "reviews", "b.example.com"), "1"));
        StoreException e = assertThrows(StoreException.class,
                () -> await(store.replace(vs("default", "reviews", "c.example.com"), "1")));
        assertEquals(StoreException.Reason.CONFLICT, e.reason());
        StoreException d = assertThrows(StoreException.class,
                () -> await(store.delete(new ResourceKey(Kind.VIRTUAL_SERVICE, "default", "reviews"), "1")));
        assertEquals(StoreException.Reason.CONFLICT, d.reason());
    }

    @Test
    void replaceAndDeleteOfMissingKeyAreNotFound() {
        StoreException r = assertThrows(StoreException.class,
                () -> await(store.replace(vs("default", "nope", "a.example.com"), null)));
        assertEquals(StoreException.Reason.NOT_FOUND, r.reason());
        StoreException d = assertThrows(StoreException.class,
                () -> await(store.delete(new ResourceKey(Kind.VIRTUAL_SERVICE, "default", "nope"), null)));
        assertEquals(StoreException.Reason.NOT_FOUND, d.reason());
    }

    @Test
    void listFiltersByKindAndNamespaceInOrder() {
        await(store.create(vs("prod", "b", "b.example.com")));
        await(store.create(vs("default", "z", "z.example.com")));
        await(store.create(vs("prod", "a", "a.example.com")));
        List<String> prod = await(store.list(Kind.VIRTUAL_SERVICE, "prod")).stream().map(Resource::name).toList();
        assertEquals(List.of("a", "b"), prod);
        List<String> all = await(store.list(Kind.VIRTUAL_SERVICE, null)).stream()
                .map(r -> r.namespace() + "/" + r.name()).toList();
        assertEquals(List.of("default/z", "prod/a", "prod/b"), all);
        assertEquals(List.of(), await(store.list(Kind.GATEWAY, null)));
        assertEquals(3, await(store.listAll()).size());
    }

    @Test
    void listenersSeeEveryChangeInOrderUntilUnregistered() {
        List<String> seen = new ArrayList<>();
        ResourceStore.Registration reg = store.addListener(e -> seen.add(e.type() + " " + e.key().name()
                + " rv=" + e.resource().metadata().resourceVersion()
                + (e.previous() == null ? "" : " prev=" + e.previous().metadata().resourceVersion())));
        await(store.create(vs("default", "r", "a.example.com")));
        await(store.replace(vs("default", "r", "b.example.com"), "1"));
        await(store.delete(new ResourceKey(Kind.VIRTUAL_SERVICE, "default", "r"), null));
        reg.close();
        await(store.create(vs("default", "s", "a.example.com")));
        assertEquals(List.of("ADDED r rv=1", "MODIFIED r rv=2 prev=1", "DELETED r rv=2 prev=2"), seen);
        assertNull(await(store.get(new ResourceKey(Kind.VIRTUAL_SERVICE, "default", "r"))));
    }

    @Test
    void aFailingListenerDoesNotBreakTheWrite() {
        store.addListener(e -> {
            throw new IllegalStateException("boom");
        });
        Resource<?> stored = await(store.create(vs("default", "r", "a.example.com")));
        assertEquals("1", stored.metadata().resourceVersion());
    }
}

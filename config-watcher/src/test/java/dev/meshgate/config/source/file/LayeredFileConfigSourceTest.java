package dev.meshgate.config.source.file;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.diag.ValidationResult;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.config.snapshot.ConfigStatus;
import dev.meshgate.config.snapshot.InvalidConfigException;
import dev.meshgate.config.snapshot.SnapshotBuilder;
import dev.meshgate.config.snapshot.SnapshotListener;
import dev.meshgate.config.snapshot.SnapshotPublisher;
import dev.meshgate.config.store.ConfigLayers;
import dev.meshgate.config.store.InMemoryResourceStore;
import dev.meshgate.config.store.LayeredSnapshots;
import dev.meshgate.config.yaml.LoaderOptions;
import dev.meshgate.config.yaml.ResourceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.meshgate.config.source.file.FileConfigSourceTest.gateway;
import static dev.meshgate.config.source.file.FileConfigSourceTest.virtualService;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file source as one layer: real files and watcher, an in-memory API store, the layered pipeline. */
class LayeredFileConfigSourceTest {

    private static final long WAIT_SECONDS = 20;

    @TempDir
    Path dir;

    private final InMemoryResourceStore store = new InMemoryResourceStore();
    private final SnapshotPublisher publisher = new SnapshotPublisher();
    private final LayeredSnapshots pipeline = new LayeredSnapshots(new ConfigLayers(store),
            new SnapshotBuilder(rs -> new ValidationResult(rs, List.of())), publisher, true);
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private FileConfigSource source;

    @AfterEach
    void close() {
        if (source != null) {
            source.close();
        }
        pipeline.close();
    }

    private FileConfigSource source() {
        publisher.subscribe(new SnapshotListener() {
            @Override
            public void onSnapshot(ConfigSnapshot current, ConfigSnapshot previous) {
                events.add(current);
            }

            @Override
            public void onRejected(ConfigStatus status) {
                events.add(status);
            }
        });
        source = FileConfigSource.layered(FileSourceOptions.of(List.of(dir)).withDebounce(Duration.ofMillis(50)),
                FileParser.of(new ResourceLoader(LoaderOptions.defaults())), pipeline);
        return source;
    }

    private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static Resource<?> parse(String yaml) {
        return new ResourceLoader(LoaderOptions.defaults()).load("admin-api", yaml).resources().get(0);
    }

    @Test
    void filesAndStoreAreMergedAndALaterConflictKeepsTheLastGoodSnapshot() throws Exception {
        Files.writeString(dir.resolve("gw.yaml"), gateway("gw"));
        Files.writeString(dir.resolve("reviews.yaml"), virtualService("reviews", "reviews.example.com"));
        await(store.create(parse(virtualService("ratings", "ratings.example.com"))));

        ConfigSnapshot first = await(source().start());
        assertEquals(List.of("gw", "ratings", "reviews"), names(first));
        assertEquals(first, events.poll(WAIT_SECONDS, TimeUnit.SECONDS));

        // a file now defines what the store holds: rejected, naming both layers; the last good snapshot serves
        Files.writeString(dir.resolve("ratings.yaml"), virtualService("ratings", "other.example.com"));
        ConfigStatus rejected = assertInstanceOf(ConfigStatus.class, events.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(rejected.failing());
        String message = rejected.lastErrors().stream().map(Diagnostic::format).reduce("", String::concat);
        assertTrue(message.contains("defined in more than one layer: file layer (")
                && message.contains("ratings.yaml:1") && message.contains("api layer (admin-api"), message);
        assertEquals(first, publisher.current());

        // removing the file resolves it; a store write is applied with the files still there
        // (same content as before the conflict: no new snapshot, only the status turns healthy again)
        Files.delete(dir.resolve("ratings.yaml"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (publisher.status().failing() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertFalse(publisher.status().failing(), "status still failing after the conflict was removed");
        assertEquals(first, publisher.current());
        await(store.create(parse(virtualService("details", "details.example.com"))));
        ConfigSnapshot withDetails = nextSnapshot();
        assertEquals(List.of("gw", "details", "ratings", "reviews"), names(withDetails));
        assertTrue(withDetails.version() > first.version());
    }

    @Test
    void aConflictAtStartFailsTheStartNamingBothLayers() throws Exception {
        Files.writeString(dir.resolve("ratings.yaml"), virtualService("ratings", "ratings.example.com"));
        await(store.create(parse(virtualService("ratings", "ratings.example.com"))));
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(source().start()));
        InvalidConfigException invalid = assertInstanceOf(InvalidConfigException.class, e.getCause());
        assertTrue(invalid.getMessage().contains("defined in more than one layer"), invalid.getMessage());
        assertEquals(0, publisher.current().version());
    }

    private ConfigSnapshot nextSnapshot() throws InterruptedException {
        while (true) {
            Object e = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(e, "no snapshot within " + WAIT_SECONDS + "s");
            if (e instanceof ConfigSnapshot s) {
                return s;
            }
        }
    }

    private static List<String> names(ConfigSnapshot s) {
        return s.resources().stream().map(Resource::name).toList();
    }
}

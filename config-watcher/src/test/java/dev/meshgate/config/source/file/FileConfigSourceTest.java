package dev.meshgate.config.source.file;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.diag.ValidationResult;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.networking.VirtualService;
import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.config.snapshot.ConfigStatus;
import dev.meshgate.config.snapshot.InvalidConfigException;
import dev.meshgate.config.snapshot.SnapshotBuilder;
import dev.meshgate.config.snapshot.SnapshotListener;
import dev.meshgate.config.snapshot.SnapshotPublisher;
import dev.meshgate.config.yaml.LoaderOptions;
import dev.meshgate.config.yaml.ResourceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hot reload through real files, the real loader and the JDK WatchService. Every wait is on a published event
 * (snapshot or rejection) with a bound, never a sleep.
 */
class FileConfigSourceTest {

    private static final long WAIT_SECONDS = 20;

    @TempDir
    Path dir;

    private final SnapshotPublisher publisher = new SnapshotPublisher();
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private FileConfigSource source;

    static FileParser parser() {
        return FileParser.of(new ResourceLoader(LoaderOptions.defaults()));
    }

    static String gateway(String name) {
        return """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata:
                  name: %s
                spec:
                  selector:
                    istio: ingressgateway
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*"]
                """.formatted(name);
    }

    static String virtualService(String name, String host) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: %s
                spec:
                  hosts: [%s]
                  gateways: [gw]
                  http:
                  - route:
                    - destination: {host: reviews, port: {number: 9080}}
                """.formatted(name, host);
    }

    static String brokenVirtualService(String name) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: %s
                spec:
                  hosts: [broken.example.com]
                  http:
                  - retires: {attempts: 3}
                    route:
                    - destination: {host: reviews}
                """.formatted(name);
    }

    private ConfigSnapshot start(Path... paths) throws Exception {
        return start(Duration.ZERO, paths);
    }

    private ConfigSnapshot start(Duration resync, Path... paths) throws Exception {
        source = new FileConfigSource(
                FileSourceOptions.of(List.of(paths)).withDebounce(Duration.ofMillis(50)).withResync(resync),
                parser(), new SnapshotBuilder(rs -> new ValidationResult(rs, List.of())), publisher);
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
        ConfigSnapshot first = source.start().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS,
                TimeUnit.SECONDS);
        assertSame(first, events.poll(WAIT_SECONDS, TimeUnit.SECONDS), "the first snapshot is published too");
        return first;
    }

    @AfterEach
    void close() {
        if (source != null) {
            source.close();
        }
    }

    private ConfigSnapshot nextSnapshot() throws InterruptedException {
        Object e = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(e, "no snapshot within " + WAIT_SECONDS + "s");
        return assertInstanceOf(ConfigSnapshot.class, e, "expected a snapshot, got " + e);
    }

    private ConfigStatus nextRejection() throws InterruptedException {
        Object e = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(e, "no rejection within " + WAIT_SECONDS + "s");
        return assertInstanceOf(ConfigStatus.class, e, "expected a rejection, got " + e);
    }

    private static List<String> names(ConfigSnapshot s) {
        return s.resources().stream().map(Resource::displayName).toList();
    }

    private static String host(ConfigSnapshot s, String name) {
        return s.all(VirtualService.class).stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow().spec().hosts().get(0);
    }

    /** Replace a file the way editors and kubectl cp do: write a temp file, rename over. */
    private static void replace(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void changeThenBadChangeKeepsLastGoodThenFixApplies() throws Exception {
        Files.writeString(dir.resolve("gw.yaml"), gateway("gw"));
        Path vs = dir.resolve("vs.yaml");
        Files.writeString(vs, virtualService("reviews", "v1.example.com"));

        ConfigSnapshot v1 = start(dir);
        assertEquals(1, v1.version());
        assertEquals(List.of("Gateway default/gw", "VirtualService default/reviews"), names(v1));

        Files.writeString(vs, virtualService("reviews", "v2.example.com")); // in place, as vi :w does
        ConfigSnapshot v2 = nextSnapshot();
        assertEquals(2, v2.version());
        assertEquals("v2.example.com", host(v2, "reviews"));

        replace(vs, brokenVirtualService("reviews"));
        ConfigStatus rejected = nextRejection();
        assertSame(v2, publisher.current(), "the last good snapshot keeps serving");
        assertTrue(rejected.failing());
        assertEquals(2, rejected.appliedVersion());
        Diagnostic error = rejected.lastErrors().stream().filter(Diagnostic::isError).findFirst().orElseThrow();
        assertEquals(vs.toString(), error.file());
        assertEquals("spec.http[0].retires", error.field());
        assertEquals(publisher.status(), rejected);

        replace(vs, virtualService("reviews", "v3.example.com"));
        ConfigSnapshot v3 = nextSnapshot();
        assertEquals(3, v3.version());
        assertEquals("v3.example.com", host(v3, "reviews"));
        assertFalse(publisher.status().failing());
        assertEquals(3, publisher.status().appliedVersion());
        assertNotNull(publisher.status().lastErrorAt(), "the last error stays on record");
    }

    @Test
    void oneBadFileRejectsTheWholeChangeIncludingGoodFiles() throws Exception {
        Files.writeString(dir.resolve("gw.yaml"), gateway("gw"));
        ConfigSnapshot v1 = start(dir);

        // a valid new file and a broken one in the same burst: nothing of it applies
        Files.writeString(dir.resolve("good.yaml"), virtualService("good", "good.example.com"));
        Files.writeString(dir.resolve("bad.yaml"), brokenVirtualService("bad"));
        ConfigStatus rejected = nextRejection();
        assertSame(v1, publisher.current());
        assertTrue(rejected.lastErrors().stream().anyMatch(d -> d.isError()
                && d.file().endsWith("bad.yaml")), rejected.lastErrors().toString());

        Files.delete(dir.resolve("bad.yaml"));
        ConfigSnapshot v2 = nextSnapshot();
        assertEquals(List.of("Gateway default/gw", "VirtualService default/good"), names(v2));
    }

    @Test
    void sameContentRewrittenPublishesNothing() throws Exception {
        Path vs = dir.resolve("vs.yaml");
        Files.writeString(vs, virtualService("reviews", "a.example.com"));
        start(dir);

        // a comment and a reformat are not a content change ...
        Files.writeString(vs, "# reviewed\n" + virtualService("reviews", "\"a.example.com\""));
        // ... so the next event must be this real change, as version 2
        Files.writeString(dir.resolve("vs2.yaml"), virtualService("ratings", "b.example.com"));
        ConfigSnapshot next = nextSnapshot();
        assertEquals(2, next.version());
        assertEquals(List.of("VirtualService default/ratings", "VirtualService default/reviews"), names(next));
    }

    @Test
    void duplicateAcrossFilesIsRejectedNamingBothFiles() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), virtualService("reviews", "a.example.com"));
        ConfigSnapshot v1 = start(dir);

        Files.writeString(dir.resolve("b.yaml"), virtualService("reviews", "b.example.com"));
        ConfigStatus rejected = nextRejection();

        assertSame(v1, publisher.current());
        Diagnostic dup = rejected.lastErrors().get(0);
        assertEquals(dir.resolve("b.yaml").toString(), dup.file());
        assertTrue(dup.message().contains(dir.resolve("a.yaml").toString()), dup.message());
    }

    @Test
    void recursiveDirectoriesIncludingOnesCreatedLater() throws Exception {
        Path deep = Files.createDirectories(dir.resolve("team-a/prod"));
        Files.writeString(deep.resolve("gw.yaml"), gateway("gw"));
        Files.createDirectories(dir.resolve(".hidden"));
        Files.writeString(dir.resolve(".hidden/ignored.yaml"), gateway("ignored"));
        Files.writeString(dir.resolve("README.md"), "not config");

        assertEquals(List.of("Gateway default/gw"), names(start(dir)));

        Path later = Files.createDirectories(dir.resolve("team-b/staging"));
        Files.writeString(later.resolve("vs.yaml"), virtualService("late", "late.example.com"));
        ConfigSnapshot v2 = nextSnapshot();
        assertEquals(List.of("Gateway default/gw", "VirtualService default/late"), names(v2));

        // the new directory is watched too
        Files.writeString(later.resolve("vs.yaml"), virtualService("late", "later.example.com"));
        assertEquals("later.example.com", host(nextSnapshot(), "late"));

        // and so is a change deep in the first tree
        Files.delete(deep.resolve("gw.yaml"));
        assertEquals(List.of("VirtualService default/late"), names(nextSnapshot()));
    }

    @Test
    void explicitFileIsWatchedThroughItsDirectory() throws Exception {
        Path vs = dir.resolve("only.yaml");
        Files.writeString(vs, virtualService("reviews", "a.example.com"));
        Files.writeString(dir.resolve("other.yaml"), gateway("not-loaded"));

        assertEquals(List.of("VirtualService default/reviews"), names(start(vs)));

        replace(vs, virtualService("reviews", "b.example.com"));
        assertEquals("b.example.com", host(nextSnapshot(), "reviews"));
    }

    /**
     * A Kubernetes ConfigMap volume: {@code x.yaml -> ..data/x.yaml}, {@code ..data -> ..<timestamp>}; an update
     * writes a new timestamped directory and renames a new {@code ..data} link over the old one.
     */
    @Test
    void configMapSymlinkSwap() throws Exception {
        Path ts1 = Files.createDirectory(dir.resolve("..2026_01_01_00_00_00.1"));
        Files.writeString(ts1.resolve("x.yaml"), virtualService("reviews", "v1.example.com"));
        Files.writeString(ts1.resolve("gw.yaml"), gateway("gw"));
        Files.createSymbolicLink(dir.resolve("..data"), dir.relativize(ts1));
        Files.createSymbolicLink(dir.resolve("x.yaml"), Path.of("..data/x.yaml"));
        Files.createSymbolicLink(dir.resolve("gw.yaml"), Path.of("..data/gw.yaml"));

        ConfigSnapshot v1 = start(dir);
        assertEquals(List.of("Gateway default/gw", "VirtualService default/reviews"), names(v1));
        assertEquals(dir.resolve("x.yaml").toString(),
                v1.all(VirtualService.class).get(0).source().file(), "named by the visible link, not ..2026...");

        Path ts2 = Files.createDirectory(dir.resolve("..2026_01_01_00_05_00.2"));
        Files.writeString(ts2.resolve("x.yaml"), virtualService("reviews", "v2.example.com"));
        Files.writeString(ts2.resolve("gw.yaml"), gateway("gw"));
        Path tmpLink = Files.createSymbolicLink(dir.resolve("..data_tmp"), dir.relativize(ts2));
        Files.move(tmpLink, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

        ConfigSnapshot v2 = nextSnapshot();
        assertEquals(2, v2.version());
        assertEquals("v2.example.com", host(v2, "reviews"));

        // kubelet then deletes the old directory: no content change, nothing published; a later swap still works
        Files.delete(ts1.resolve("x.yaml"));
        Files.delete(ts1.resolve("gw.yaml"));
        Files.delete(ts1);
        Path ts3 = Files.createDirectory(dir.resolve("..2026_01_01_00_10_00.3"));
        Files.writeString(ts3.resolve("x.yaml"), brokenVirtualService("reviews"));
        Files.writeString(ts3.resolve("gw.yaml"), gateway("gw"));
        Files.move(Files.createSymbolicLink(dir.resolve("..data_tmp"), dir.relativize(ts3)), dir.resolve("..data"),
                StandardCopyOption.ATOMIC_MOVE);
        nextRejection();
        assertSame(v2, publisher.current());
    }

    @Test
    void resyncFindsChangesNoWatchedDirectoryReports() throws Exception {
        // the link's target lives in a directory nobody watches: only the periodic resync can see the change
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path target = Files.writeString(elsewhere.resolve("real.yaml"), virtualService("reviews", "a.example.com"));
        Path watched = Files.createDirectory(dir.resolve("watched"));
        Path link = Files.createSymbolicLink(watched.resolve("vs.yaml"), target);
        start(Duration.ofMillis(100), link);

        Files.writeString(target, virtualService("reviews", "b.example.com"));

        assertEquals("b.example.com", host(nextSnapshot(), "reviews"));
    }

    @Test
    void invalidConfigAtStartFailsWithEveryDiagnostic() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, brokenVirtualService("reviews"));

        ExecutionException e = assertThrows(ExecutionException.class, () -> start(dir));

        InvalidConfigException invalid = assertInstanceOf(InvalidConfigException.class, e.getCause());
        assertEquals(bad.toString(), invalid.diagnostics().get(0).file());
        assertEquals("spec.http[0].retires", invalid.diagnostics().get(0).field());
        assertTrue(invalid.getMessage().startsWith("invalid configuration: " + bad), invalid.getMessage());
        assertTrue(publisher.status().failing());
        assertSame(ConfigSnapshot.EMPTY, publisher.current());
    }

    @Test
    void missingPathFailsStart() {
        Path missing = dir.resolve("nope");

        ExecutionException e = assertThrows(ExecutionException.class, () -> start(missing));

        InvalidConfigException invalid = assertInstanceOf(InvalidConfigException.class, e.getCause());
        assertEquals(List.of(Diagnostic.error(missing.toString(), 0, null, null, "no such file or directory")),
                invalid.diagnostics());
    }

    @Test
    void closeStopsWatchingAndStartTwiceIsRefused() throws Exception {
        Path vs = dir.resolve("vs.yaml");
        Files.writeString(vs, virtualService("reviews", "a.example.com"));
        start(dir);

        assertTrue(source.start().failed());
        source.close();
        Files.writeString(vs, virtualService("reviews", "b.example.com"));
        // nothing can arrive after close; bounded check on the queue itself
        assertEquals(null, events.poll(300, TimeUnit.MILLISECONDS));
        assertEquals(1, publisher.current().version());
    }
}

package dev.meshgate.config.snapshot;

import dev.meshgate.config.diag.Diagnostic;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static dev.meshgate.config.snapshot.TestResources.vs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotPublisherTest {

    /** A clock that advances one second per reading, so status times are distinct and predictable. */
    private static final class Ticking extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            now = now.plusSeconds(1);
            return now;
        }
    }

    private final SnapshotBuilder builder = new SnapshotBuilder(rs -> new dev.meshgate.config.diag.ValidationResult(rs, List.of()));
    private final SnapshotPublisher publisher = new SnapshotPublisher(new Ticking());
    private final List<String> events = new ArrayList<>();

    private ConfigSnapshot snapshot(String host) {
        return builder.toSnapshot(builder.build(List.of(vs("default", "a", host, "a.yaml", 1)), List.of()),
                publisher.current());
    }

    private void listen() {
        publisher.subscribe(new SnapshotListener() {
            @Override
            public void onSnapshot(ConfigSnapshot current, ConfigSnapshot previous) {
                events.add("v" + previous.version() + "->v" + current.version());
            }

            @Override
            public void onRejected(ConfigStatus status) {
                events.add("rejected " + status.lastErrors().size());
            }
        });
    }

    @Test
    void startsEmptyAndPublishesInVersionOrder() {
        listen();
        assertSame(ConfigSnapshot.EMPTY, publisher.current());
        assertEquals(ConfigStatus.INITIAL, publisher.status());

        ConfigSnapshot s1 = snapshot("a.example.com");
        assertTrue(publisher.publish(s1, List.of()));
        ConfigSnapshot s2 = snapshot("b.example.com");
        assertTrue(publisher.publish(s2, List.of()));

        assertSame(s2, publisher.current());
        assertEquals(List.of("v0->v1", "v1->v2"), events);
        assertEquals(2, publisher.status().appliedVersion());
        assertEquals(s2.hash(), publisher.status().appliedHash());
    }

    @Test
    void unchangedContentNotifiesNobody() {
        listen();
        ConfigSnapshot s1 = snapshot("a.example.com");
        publisher.publish(s1, List.of());
        ConfigSnapshot same = new ConfigSnapshot(7, s1.hash(), s1.resources(), Instant.now());

        assertFalse(publisher.publish(same, List.of()));
        assertSame(s1, publisher.current());
        assertEquals(List.of("v0->v1"), events);
    }

    @Test
    void rejectionKeepsTheCurrentSnapshotAndRecordsEveryDiagnostic() {
        listen();
        ConfigSnapshot s1 = snapshot("a.example.com");
        publisher.publish(s1, List.of());
        Instant appliedAt = publisher.status().appliedAt();
        List<Diagnostic> errors = List.of(
                Diagnostic.error("a.yaml", 4, "VirtualService default/a", "spec.http[0].retires", "unknown field"),
                Diagnostic.warning("a.yaml", 1, "VirtualService default/a", "spec.gateways", "binds to mesh only"));

        publisher.reject(errors);

        ConfigStatus st = publisher.status();
        assertSame(s1, publisher.current());
        assertTrue(st.failing());
        assertEquals(errors, st.lastErrors());
        assertEquals(1, st.appliedVersion());
        assertEquals(appliedAt, st.appliedAt());
        assertTrue(st.lastErrorAt().isAfter(appliedAt));
        assertEquals(List.of("v0->v1", "rejected 2"), events);
    }

    @Test
    void aFixAppliesAndClearsFailingButKeepsTheLastErrorForTheRecord() {
        publisher.publish(snapshot("a.example.com"), List.of());
        publisher.reject(List.of(Diagnostic.error("a.yaml", 1, null, null, "bad")));
        Instant errorAt = publisher.status().lastErrorAt();
        List<Diagnostic> warnings = List.of(Diagnostic.warning("a.yaml", 2, "VirtualService default/a",
                "spec.gateways", "binds to mesh only"));

        publisher.publish(snapshot("b.example.com"), warnings);

        ConfigStatus st = publisher.status();
        assertFalse(st.failing());
        assertEquals(2, st.appliedVersion());
        assertEquals(warnings, st.appliedWarnings());
        assertEquals(errorAt, st.lastErrorAt());
        assertEquals(1, st.lastErrors().size());
    }

    @Test
    void revertingABadEditToTheServingContentClearsFailingWithoutANewVersion() {
        listen();
        ConfigSnapshot s1 = snapshot("a.example.com");
        publisher.publish(s1, List.of());
        publisher.reject(List.of(Diagnostic.error("a.yaml", 1, null, null, "bad")));

        assertFalse(publisher.publish(snapshot("a.example.com"), List.of()));

        assertFalse(publisher.status().failing());
        assertEquals(1, publisher.status().appliedVersion());
        assertSame(s1, publisher.current());
        assertEquals(List.of("v0->v1", "rejected 1"), events);
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() {
        publisher.subscribe((c, p) -> {
            throw new IllegalStateException("listener bug");
        });
        listen();

        publisher.publish(snapshot("a.example.com"), List.of());

        assertEquals(List.of("v0->v1"), events);
    }

    @Test
    void closingTheSubscriptionStopsNotifications() throws Exception {
        List<Long> seen = new ArrayList<>();
        AutoCloseable sub = publisher.subscribe((c, p) -> seen.add(c.version()));
        publisher.publish(snapshot("a.example.com"), List.of());
        sub.close();
        publisher.publish(snapshot("b.example.com"), List.of());

        assertEquals(List.of(1L), seen);
    }

    @Test
    void newContentWithAnOldVersionIsRefused() {
        publisher.publish(snapshot("a.example.com"), List.of());
        ConfigSnapshot stale = new ConfigSnapshot(1, "other", List.of(), Instant.now());

        assertThrows(IllegalArgumentException.class, () -> publisher.publish(stale, List.of()));
        assertEquals(1, publisher.current().version());
    }

    @Test
    void snapshotLogLineHasVersionHashPrefixAndCountsByKind() {
        ConfigSnapshot s1 = snapshot("a.example.com");

        assertEquals("config version 1 applied (hash " + s1.hash().substring(0, 12)
                + "): 1 resource: VirtualService=1", SnapshotLog.describe(s1));
        assertNull(ConfigStatus.INITIAL.appliedAt());
    }
}

package dev.meshgate.config.snapshot;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.diag.ResourceValidator;
import dev.meshgate.config.diag.ValidationResult;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.SourceRef;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.meshgate.config.snapshot.TestResources.gw;
import static dev.meshgate.config.snapshot.TestResources.vs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotBuilderTest {

    private static final ResourceValidator ACCEPT_ALL = rs -> new ValidationResult(rs, List.of());
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final SnapshotBuilder builder = new SnapshotBuilder(ACCEPT_ALL, Clock.fixed(T0, ZoneOffset.UTC));

    @Test
    void sortsByKindThenNamespaceThenName() {
        BuildResult r = builder.build(List.of(
                vs("b", "x", "x.example.com", "a.yaml", 1),
                vs("a", "z", "z.example.com", "a.yaml", 10),
                gw("z", "gw", Map.of(), "g.yaml"),
                vs("a", "y", "y.example.com", "a.yaml", 20)), List.of());

        assertEquals(List.of("Gateway z/gw", "VirtualService a/y", "VirtualService a/z", "VirtualService b/x"),
                r.resources().stream().map(Resource::displayName).toList());
        assertEquals(Map.of("Gateway", 1, "VirtualService", 3), r.countsByKind());
        assertFalse(r.hasErrors());
    }

    @Test
    void hashIgnoresInputOrderAndSourceLocation() {
        BuildResult one = builder.build(List.of(
                vs("default", "a", "a.example.com", "a.yaml", 1),
                vs("default", "b", "b.example.com", "a.yaml", 12)), List.of());
        BuildResult two = builder.build(List.of(
                vs("default", "b", "b.example.com", "other.yaml", 3),
                vs("default", "a", "a.example.com", "moved.yaml", 40)), List.of());

        assertEquals(one.hash(), two.hash());
        assertEquals(64, one.hash().length());
        assertTrue(one.hash().matches("[0-9a-f]{64}"));
    }

    @Test
    void hashChangesWithAnyFieldOfTheContent() {
        String base = builder.build(List.of(vs("default", "a", "a.example.com", "a.yaml", 1)), List.of()).hash();
        String otherHost = builder.build(List.of(vs("default", "a", "b.example.com", "a.yaml", 1)), List.of()).hash();
        String otherNs = builder.build(List.of(vs("prod", "a", "a.example.com", "a.yaml", 1)), List.of()).hash();
        String empty = builder.build(List.of(), List.of()).hash();

        assertNotEquals(base, otherHost);
        assertNotEquals(base, otherNs);
        assertNotEquals(base, empty);
    }

    @Test
    void hashDoesNotDependOnMapInsertionOrder() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("app", "ingress");
        ab.put("istio", "gateway");
        ab.put("zone", "a");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("zone", "a");
        ba.put("istio", "gateway");
        ba.put("app", "ingress");

        assertEquals(builder.build(List.of(gw("default", "g", ab, "g.yaml")), List.of()).hash(),
                builder.build(List.of(gw("default", "g", ba, "g.yaml")), List.of()).hash());
        assertNotEquals(builder.build(List.of(gw("default", "g", ab, "g.yaml")), List.of()).hash(),
                builder.build(List.of(gw("default", "g", Map.of("app", "ingress"), "g.yaml")), List.of()).hash());
    }

    @Test
    void duplicateIsAnErrorNamingBothFilesAndTheFirstIsKept() {
        BuildResult r = builder.build(List.of(
                vs("default", "reviews", "first.example.com", "a.yaml", 3),
                vs("default", "reviews", "second.example.com", "b.yaml", 7)), List.of());

        assertTrue(r.hasErrors());
        assertEquals(List.of(Diagnostic.error("b.yaml", 7, "VirtualService default/reviews", null,
                "duplicate resource: already defined at a.yaml:3")), r.diagnostics());
        assertEquals("b.yaml:7: VirtualService default/reviews: duplicate resource: already defined at a.yaml:3",
                r.diagnostics().get(0).format());
        assertEquals(1, r.resources().size());
        assertEquals("first.example.com",
                ((dev.meshgate.config.model.networking.VirtualService) r.resources().get(0).spec()).hosts().get(0));
    }

    @Test
    void sameNameInAnotherNamespaceOrKindIsNoDuplicate() {
        BuildResult r = builder.build(List.of(
                vs("default", "reviews", "a.example.com", "a.yaml", 1),
                vs("prod", "reviews", "a.example.com", "a.yaml", 9),
                gw("default", "reviews", Map.of(), "a.yaml")), List.of());

        assertFalse(r.hasErrors());
        assertEquals(3, r.resources().size());
    }

    @Test
    void loadDiagnosticsComeFirstAndValidatorRejectionsAreLeftOut() {
        Diagnostic loadWarning = Diagnostic.warning("a.yaml", 1, null, null, "kind Deployment skipped");
        ResourceValidator rejectB = rs -> {
            List<Resource<?>> ok = new ArrayList<>();
            List<Diagnostic> ds = new ArrayList<>();
            for (Resource<?> res : rs) {
                if (res.name().equals("b")) {
                    ds.add(Diagnostic.error(res.source().file(), res.source().line(), res.displayName(),
                            "spec.hosts", "bad host"));
                } else {
                    ok.add(res);
                }
            }
            return new ValidationResult(ok, ds);
        };
        BuildResult r = new SnapshotBuilder(rejectB).build(List.of(
                vs("default", "a", "a.example.com", "a.yaml", 2),
                vs("default", "b", "b.example.com", "a.yaml", 9)), List.of(loadWarning));

        assertEquals(List.of("a"), r.resources().stream().map(Resource::name).toList());
        assertEquals(2, r.diagnostics().size());
        assertSame(loadWarning, r.diagnostics().get(0));
        assertEquals("a.yaml:9: VirtualService default/b: spec.hosts: bad host", r.errors().get(0).format());
    }

    @Test
    void versionsAreMonotonicAndUnchangedContentKeepsTheSnapshot() {
        BuildResult one = builder.build(List.of(vs("default", "a", "a.example.com", "a.yaml", 1)), List.of());
        BuildResult two = builder.build(List.of(vs("default", "a", "b.example.com", "a.yaml", 1)), List.of());

        ConfigSnapshot s1 = builder.toSnapshot(one, ConfigSnapshot.EMPTY);
        ConfigSnapshot s2 = builder.toSnapshot(two, s1);
        ConfigSnapshot s2again = builder.toSnapshot(
                builder.build(List.of(vs("default", "a", "b.example.com", "elsewhere.yaml", 5)), List.of()), s2);
        ConfigSnapshot s3 = builder.toSnapshot(one, s2);

        assertEquals(1, s1.version());
        assertEquals(2, s2.version());
        assertSame(s2, s2again);
        assertEquals(3, s3.version());
        assertEquals(one.hash(), s3.hash());
        assertEquals(T0, s3.createdAt());
        assertEquals(one.resources(), s3.resources());
    }

    @Test
    void versionStaysAboveACurrentSnapshotFromElsewhere() {
        BuildResult one = builder.build(List.of(vs("default", "a", "a.example.com", "a.yaml", 1)), List.of());
        ConfigSnapshot foreign = new ConfigSnapshot(41, "not-a-real-hash", List.of(), T0);

        assertEquals(42, builder.toSnapshot(one, foreign).version());
    }

    @Test
    void aCandidateWithErrorsGetsNoVersion() {
        BuildResult bad = builder.build(List.of(
                vs("default", "a", "a.example.com", "a.yaml", 1),
                vs("default", "a", "a.example.com", "b.yaml", 1)), List.of());

        assertThrows(IllegalArgumentException.class, () -> builder.toSnapshot(bad, ConfigSnapshot.EMPTY));
        BuildResult good = builder.build(List.of(vs("default", "a", "a.example.com", "a.yaml", 1)), List.of());
        assertEquals(1, builder.toSnapshot(good, ConfigSnapshot.EMPTY).version());
    }

    @Test
    void unknownSourceStillNamesTheDuplicate() {
        Resource<?> a = vs("default", "a", "a.example.com", "x", 0).withSource(null);
        Resource<?> b = vs("default", "a", "a.example.com", "x", 0).withSource(SourceRef.of("b.yaml"));
        BuildResult r = builder.build(List.of(a, b), List.of());

        assertEquals("b.yaml: VirtualService default/a: duplicate resource: already defined at <unknown>",
                r.errors().get(0).format());
    }
}

package dev.meshgate.config.snapshot;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.diag.ResourceValidator;
import dev.meshgate.config.diag.ValidationResult;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.ResourceKey;
import dev.meshgate.config.model.SourceRef;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns loaded resources into a snapshot: duplicate detection, validation, stable order, content hash, version.
 * Two steps, so that a candidate with errors never consumes a version number:
 * {@link #build} makes a {@link BuildResult}; {@link #toSnapshot} gives an accepted one its version.
 * Thread-safe; one builder per config source keeps versions monotonic for that source.
 */
public final class SnapshotBuilder {

    /** Snapshot order: kind name, namespace, name. Also the order duplicates and diagnostics are reported in. */
    public static final Comparator<Resource<?>> ORDER = Comparator
            .comparing((Resource<?> r) -> r.kind().kind())
            .thenComparing(Resource::namespace, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Resource::name, Comparator.nullsFirst(Comparator.naturalOrder()));

    private final ResourceValidator validator;
    private final Clock clock;
    private final AtomicLong lastVersion = new AtomicLong();

    public SnapshotBuilder(ResourceValidator validator) {
        this(validator, Clock.systemUTC());
    }

    public SnapshotBuilder(ResourceValidator validator, Clock clock) {
        this.validator = Objects.requireNonNull(validator, "validator");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Validates a candidate. Load diagnostics come first in the result, then duplicates, then validation.
     * Resources that validation rejects, and the second and later copies of a duplicate, are left out.
     */
    public BuildResult build(List<Resource<?>> loaded, List<Diagnostic> loadDiagnostics) {
        List<Diagnostic> diagnostics = new ArrayList<>(loadDiagnostics);
        List<Resource<?>> unique = dropDuplicates(loaded, diagnostics);
        ValidationResult validated = validator.validate(unique);
        diagnostics.addAll(validated.diagnostics());
        List<Resource<?>> accepted = new ArrayList<>(validated.accepted());
        accepted.sort(ORDER);
        return new BuildResult(accepted, ContentHash.of(accepted), diagnostics);
    }

    /**
     * The snapshot for an accepted candidate. Equal content to {@code current} returns {@code current} itself
     * (same version, nothing to publish); otherwise the next version.
     *
     * @throws IllegalArgumentException when the candidate has errors (the caller's policy is to keep the last good)
     */
    public ConfigSnapshot toSnapshot(BuildResult result, ConfigSnapshot current) {
        if (result.hasErrors()) {
            throw new IllegalArgumentException("a configuration with errors does not become a snapshot");
        }
        if (current != null && current.hash().equals(result.hash())) {
            return current;
        }
        long floor = current == null ? 0 : current.version();
        long version = lastVersion.updateAndGet(v -> Math.max(v, floor) + 1);
        return new ConfigSnapshot(version, result.hash(), result.resources(), clock.instant());
    }

    /** Keeps the first of each kind/namespace/name and reports every later one, naming both places. */
    static List<Resource<?>> dropDuplicates(List<Resource<?>> loaded, List<Diagnostic> diagnostics) {
        Map<ResourceKey, Resource<?>> seen = new LinkedHashMap<>();
        for (Resource<?> r : loaded) {
            Resource<?> first = seen.putIfAbsent(r.key(), r);
            if (first != null) {
                SourceRef at = r.source();
                diagnostics.add(Diagnostic.error(at.file(), at.line(), r.displayName(), null,
                        "duplicate resource: already defined at " + where(first.source())));
            }
        }
        return new ArrayList<>(seen.values());
    }

    private static String where(SourceRef s) {
        return s.line() > 0 ? s.file() + ":" + s.line() : s.file();
    }
}

package dev.meshgate.config.snapshot;

import dev.meshgate.config.diag.Diagnostic;

import java.time.Instant;
import java.util.List;

/**
 * What the admin API shows about configuration: the snapshot serving now and the last rejected change.
 * A rejected change keeps the last good snapshot serving, so both halves can be set at once.
 *
 * @param appliedVersion  version of the snapshot serving now; 0 before the first one
 * @param appliedHash     its content hash; empty before the first one
 * @param appliedAt       when it was applied (or last confirmed unchanged); null before the first one
 * @param appliedWarnings warnings and notices of the serving snapshot (they never block)
 * @param lastErrorAt     when a change was last rejected; null when none ever was
 * @param lastErrors      every diagnostic of that rejected change (errors and warnings); empty when none
 * @param failing         true when the most recent attempt was rejected, i.e. the sources on disk are not
 *                        what is serving; false again once a valid configuration is loaded
 */
public record ConfigStatus(long appliedVersion, String appliedHash, Instant appliedAt,
                           List<Diagnostic> appliedWarnings,
                           Instant lastErrorAt, List<Diagnostic> lastErrors, boolean failing) {

    public static final ConfigStatus INITIAL = new ConfigStatus(0, "", null, List.of(), null, List.of(), false);

    public ConfigStatus {
        appliedWarnings = List.copyOf(appliedWarnings);
        lastErrors = List.copyOf(lastErrors);
    }

    ConfigStatus applied(ConfigSnapshot s, List<Diagnostic> warnings, Instant at) {
        return new ConfigStatus(s.version(), s.hash(), at, warnings, lastErrorAt, lastErrors, false);
    }

    ConfigStatus rejected(List<Diagnostic> diagnostics, Instant at) {
        return new ConfigStatus(appliedVersion, appliedHash, appliedAt, appliedWarnings, at, diagnostics, true);
    }
}

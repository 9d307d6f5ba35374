package dev.meshgate.config.source.file;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * @param paths    files and directories to load and watch
 * @param debounce quiet time after the last change event before reloading: an editor save or a ConfigMap swap
 *                 is a burst of events, and one reload should see all of it
 * @param resync   full re-read at this interval even without events, as a safety net for events the OS never
 *                 delivers (network file systems, watch queue overflow, a watched root deleted and recreated);
 *                 {@link Duration#ZERO} turns it off. Unchanged input costs a read and a hash, no parse
 */
public record FileSourceOptions(List<Path> paths, Duration debounce, Duration resync) {

    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(200);
    public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(30);

    public FileSourceOptions {
        paths = List.copyOf(paths);
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("at least one config path is needed");
        }
        Objects.requireNonNull(debounce, "debounce");
        Objects.requireNonNull(resync, "resync");
        if (debounce.isNegative() || resync.isNegative()) {
            throw new IllegalArgumentException("debounce and resync must not be negative");
        }
    }

    public static FileSourceOptions of(List<Path> paths) {
        return new FileSourceOptions(paths, DEFAULT_DEBOUNCE, DEFAULT_RESYNC);
    }

    public FileSourceOptions withDebounce(Duration d) {
        return new FileSourceOptions(paths, d, resync);
    }

    public FileSourceOptions withResync(Duration r) {
        return new FileSourceOptions(paths, debounce, r);
    }
}

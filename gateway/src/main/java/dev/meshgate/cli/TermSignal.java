package dev.meshgate.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * SIGTERM handled by {@code meshgate run} itself rather than by the JVM's shutdown: the drain runs, {@code run}
 * returns and the process exits with status 0, as pilot-agent/Envoy do after a graceful drain (a JVM ended by
 * the signal's default handling reports 143). Uses {@code sun.misc.Signal} (module jdk.unsupported); where that
 * is unavailable the JVM's shutdown hook still drains, only the exit status differs.
 */
final class TermSignal {

    private static final Logger LOG = Logger.getLogger(TermSignal.class.getName());

    private TermSignal() {
    }

    /**
     * Runs {@code onTerm} (on the JVM's signal thread; it must not block) on every SIGTERM until the returned
     * action restores the previous handler. Returns a no-op restorer when the signal cannot be handled here.
     */
    static Runnable handle(Runnable onTerm) {
        try {
            sun.misc.Signal term = new sun.misc.Signal("TERM");
            sun.misc.SignalHandler previous = sun.misc.Signal.handle(term, s -> onTerm.run());
            return () -> {
                try {
                    sun.misc.Signal.handle(term, previous);
                } catch (IllegalArgumentException e) {
                    LOG.log(Level.FINE, "restoring the SIGTERM handler", e);
                }
            };
        } catch (IllegalArgumentException | LinkageError e) {
            // e.g. -Xrs, or a JVM without jdk.unsupported: the shutdown hook drains instead
            LOG.info("SIGTERM is left to the JVM (" + e + "); the drain runs in its shutdown hook");
            return () -> { };
        }
    }
}

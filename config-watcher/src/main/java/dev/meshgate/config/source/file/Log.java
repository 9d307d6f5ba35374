package dev.meshgate.config.source.file;

import dev.meshgate.config.diag.Diagnostic;

import java.util.logging.Level;
import java.util.logging.Logger;

/** java.util.logging with the levels our diagnostics map to; JUL needs no dependency and the CLI formats it. */
final class Log {

    private final Logger logger;

    Log(Class<?> owner) {
        this.logger = Logger.getLogger(owner.getName());
    }

    void info(String msg) {
        logger.info(msg);
    }

    void fine(String msg) {
        logger.fine(msg);
    }

    void warn(String msg) {
        logger.warning(msg);
    }

    void error(String msg, Throwable t) {
        logger.log(Level.SEVERE, msg, t);
    }

    void diagnostic(Diagnostic d) {
        Level level = switch (d.severity()) {
            case ERROR -> Level.SEVERE;
            case WARNING -> Level.WARNING;
            case INFO -> Level.INFO;
        };
        if (logger.isLoggable(level)) {
            logger.log(level, d.severity().name().toLowerCase() + ": " + d.format());
        }
    }
}

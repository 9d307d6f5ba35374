package dev.meshgate.admin.audit;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Appends audit entries as JSON lines to a file, on one dedicated writer thread so an event loop never waits on
 * the disk. Each line is flushed before its future completes; the admin server answers a write only after its
 * entry is on disk (or failed to get there, which is logged).
 */
public final class AuditLog implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());

    private final Path file;
    private final ExecutorService writer;
    private BufferedWriter out; // confined to the writer thread

    private AuditLog(Path file) {
        this.file = file;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "meshgate-audit-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /** An audit log appending to {@code file} (created with its directories when missing). */
    public static AuditLog toFile(Path file) {
        return new AuditLog(file);
    }

    public Path file() {
        return file;
    }

    public Future<Void> append(AuditEntry entry) {
        Promise<Void> done = Promise.promise();
        String line = entry.toJson().encode() + "\n";
        try {
            writer.execute(() -> {
                try {
                    write(line);
                    done.complete();
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.SEVERE, "cannot write audit entry to " + file + ": " + line.strip(), e);
                    done.fail(e);
                }
            });
        } catch (RejectedExecutionException closed) {
            LOG.severe("audit log closed, entry lost: " + line.strip());
            done.fail(closed);
        }
        return done.future();
    }

    private void write(String line) throws IOException {
        if (out == null) {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        }
        out.write(line);
        out.flush();
    }

    @Override
    public void close() {
        writer.execute(() -> {
            try {
                if (out != null) {
                    out.close();
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "closing audit log " + file, e);
            }
        });
        writer.shutdown();
    }
}

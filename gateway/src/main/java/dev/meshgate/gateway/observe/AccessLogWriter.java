package dev.meshgate.gateway.observe;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes access-log lines from a bounded queue on one dedicated daemon thread, so an event loop only ever does a
 * non-blocking {@code offer}. When the queue is full the entry is dropped and counted (exported as
 * {@code meshgate_access_log_dropped_total}); a slow disk slows the log, never the traffic. Lines are formatted on
 * the writer thread and flushed whenever the queue runs empty.
 */
public final class AccessLogWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AccessLogWriter.class.getName());
    public static final int DEFAULT_CAPACITY = 16_384;

    private record Item(AccessLogFormat format, AccessLogEntry entry) {
    }

    private static final Item STOP = new Item(null, null);

    private final String target;
    private final ArrayBlockingQueue<Item> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    /** @param target {@code -} for standard output, else a file path (appended, created when missing) */
    public AccessLogWriter(String target, int capacity) {
        this.target = target == null || target.isBlank() ? "-" : target;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, capacity));
        this.thread = new Thread(this::run, "meshgate-access-log");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public String target() {
        return target;
    }

    /** Never blocks; false (and counted) when the queue is full or the writer is closed. */
    public boolean offer(AccessLogFormat format, AccessLogEntry entry) {
        if (closed || !queue.offer(new Item(format, entry))) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    public long dropped() {
        return dropped.get();
    }

    public long written() {
        return written.get();
    }

    private Writer open() throws IOException {
        if (target.equals("-")) {
            // closing the log must not close the process's standard output (fd 1) with it
            FileOutputStream stdout = new FileOutputStream(FileDescriptor.out) {
                @Override
                public void close() throws java.io.IOException {
                    flush();
                }
            };
            return new OutputStreamWriter(stdout, StandardCharsets.UTF_8);
        }
        Path p = Path.of(target);
        Path parent = p.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return Files.newBufferedWriter(p, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    private void run() {
        Writer out;
        try {
            out = open();
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "access log " + target + " cannot be opened; entries are dropped", e);
            closed = true;
            queue.clear();
            return;
        }
        List<Item> batch = new ArrayList<>(256);
        try (out) {
            while (true) {
                Item first = queue.take();
                batch.add(first);
                queue.drainTo(batch, 1023);
                boolean stop = false;
                for (Item it : batch) {
                    if (it == STOP) {
                        stop = true;
                        continue;
                    }
                    try {
                        out.write(it.format().format(it.entry()));
                        written.incrementAndGet();
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "access log entry could not be formatted", e);
                        dropped.incrementAndGet();
                    }
                }
                batch.clear();
                if (stop || queue.isEmpty()) {
                    out.flush();
                }
                if (stop) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "access log " + target + " write failed; entries from now on are dropped", e);
            closed = true;
            queue.clear();
        }
    }

    /** Writes what is queued, flushes and stops the thread (bounded wait). Blocking: not on an event loop. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // the queue may be full; make room for the stop marker without blocking forever
            while (!queue.offer(STOP, 100, TimeUnit.MILLISECONDS)) {
                if (!thread.isAlive()) {
                    return;
                }
            }
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

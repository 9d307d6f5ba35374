package dev.meshgate.gateway.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How late each event loop runs a timer that should fire every {@link #PERIOD_MS} ms: the time a request waits
 * before its loop gets to it. A loop blocked by anything (a slow handler, GC, a noisy neighbour) shows here first.
 * Metric: {@code meshgate_event_loop_lag_seconds{loop="N"}} (a Prometheus summary with count, sum and max).
 */
public final class EventLoopLag {

    static final long PERIOD_MS = 100;

    private final List<Long> timers = new ArrayList<>();
    private final List<Context> contexts = new ArrayList<>();
    private Vertx vertx;

    /**
     * Starts one probe per event loop. Must be called from a non-Vert.x thread: each new context from such a thread
     * is placed on the next event loop (round robin), so {@code loops} contexts cover every loop.
     */
    public synchronized void start(Vertx vertx, MeterRegistry registry, int loops) {
        this.vertx = vertx;
        for (int i = 0; i < loops; i++) {
            Context ctx = vertx.getOrCreateContext();
            Timer lag = Timer.builder("meshgate_event_loop_lag").description("event-loop scheduling delay of a "
                    + PERIOD_MS + " ms timer").tag("loop", Integer.toString(i)).register(registry);
            contexts.add(ctx);
            ctx.runOnContext(v -> {
                long[] expected = {System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PERIOD_MS)};
                long id = vertx.setPeriodic(PERIOD_MS, t -> {
                    long now = System.nanoTime();
                    lag.record(Math.max(0, now - expected[0]), TimeUnit.NANOSECONDS);
                    // the next expected tick is a period after this one actually ran, as Vert.x re-arms it
                    expected[0] = now + TimeUnit.MILLISECONDS.toNanos(PERIOD_MS);
                });
                synchronized (this) {
                    timers.add(id);
                }
            });
        }
    }

    /** The contexts the probes run on, one per loop (tests block one to see its lag). */
    synchronized List<Context> contexts() {
        return List.copyOf(contexts);
    }

    public synchronized void stop() {
        if (vertx != null) {
            timers.forEach(vertx::cancelTimer);
        }
        timers.clear();
    }
}

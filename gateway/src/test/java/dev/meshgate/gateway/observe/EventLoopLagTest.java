package dev.meshgate.gateway.observe;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

class EventLoopLagTest {

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aBlockedLoopShowsItsLag() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EventLoopLag lag = new EventLoopLag();
        lag.start(vertx, registry, 2);
        Timer loop0 = registry.get("meshgate_event_loop_lag").tag("loop", "0").timer();
        Timer loop1 = registry.get("meshgate_event_loop_lag").tag("loop", "1").timer();
        waitFor(() -> loop0.count() >= 2 && loop1.count() >= 2, "both probes tick");

        // deliberately block loop 0 (only here, in a test) for 400 ms
        CountDownLatch blocked = new CountDownLatch(1);
        lag.contexts().get(0).runOnContext(v -> {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(400));
            blocked.countDown();
        });
        assertTrue(blocked.await(5, TimeUnit.SECONDS));
        long after = loop0.count();
        waitFor(() -> loop0.count() > after, "loop 0 ticks again after the block");
        assertTrue(loop0.max(TimeUnit.MILLISECONDS) >= 250, "lag seen on the blocked loop: "
                + loop0.max(TimeUnit.MILLISECONDS) + " ms");
        lag.stop();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}

package dev.meshgate.gateway.observe;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Graceful shutdown as an Istio gateway does it on SIGTERM: readiness turns 503 at once (the load balancer stops
 * sending new connections), listeners keep serving for the drain duration (ProxyConfig
 * terminationDrainDuration, default 5s) while {@link DrainingConnections} tells clients to leave, then the
 * controller waits for the requests still in flight (bounded by {@code maxInFlightWait}) and finally runs
 * {@code stop} (close listeners, upstreams, Vert.x).
 * {@link #drain()} is idempotent and never blocks; {@link #shutdownHook()} wraps it for the JVM's SIGTERM hook.
 */
public final class DrainController {

    private static final Logger LOG = Logger.getLogger(DrainController.class.getName());
    public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(5);
    private static final long POLL_MS = 20;

    private final Vertx vertx;
    private final HealthState health;
    private final InFlightRequests inFlight;
    private final Duration drainDuration;
    private final Duration maxInFlightWait;
    private final Supplier<Future<?>> stop;
    private final Promise<Void> done = Promise.promise();
    private boolean started;

    public DrainController(Vertx vertx, HealthState health, InFlightRequests inFlight, Duration drainDuration,
                           Duration maxInFlightWait, Supplier<Future<?>> stop) {
        this.vertx = vertx;
        this.health = health;
        this.inFlight = inFlight;
        this.drainDuration = drainDuration == null ? DEFAULT_DRAIN : drainDuration;
        this.maxInFlightWait = maxInFlightWait == null ? Duration.ofSeconds(30) : maxInFlightWait;
        this.stop = stop;
    }

    public Duration drainDuration() {
        return drainDuration;
    }

    /** Starts draining (once); completes after {@code stop} completed. */
    public synchronized Future<Void> drain() {
        if (started) {
            return done.future();
        }
        started = true;
        health.startDraining();
        LOG.info("draining: not ready; serving for " + drainDuration.toMillis() + " ms, then waiting for "
                + inFlight.count() + " request(s) and L4 connection(s) in flight");
        long delay = drainDuration.toMillis();
        if (delay <= 0) {
            waitInFlight(System.nanoTime() + maxInFlightWait.toNanos());
        } else {
            vertx.setTimer(delay, t -> waitInFlight(System.nanoTime() + maxInFlightWait.toNanos()));
        }
        return done.future();
    }

    private void waitInFlight(long deadline) {
        long n = inFlight.count();
        if (n > 0 && System.nanoTime() < deadline) {
            vertx.setTimer(POLL_MS, t -> waitInFlight(deadline));
            return;
        }
        if (n > 0) {
            LOG.warning("drain: " + n + " request(s) and L4 connection(s) still in flight after "
                    + maxInFlightWait.toMillis() + " ms; stopping anyway (closes them)");
        }
        Future<?> f;
        try {
            f = stop.get();
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        f.onComplete(ar -> {
            if (ar.failed()) {
                LOG.warning("drain: stop failed: " + ar.cause());
            }
            done.tryComplete();
        });
    }

    /**
     * A thread for {@code Runtime.getRuntime().addShutdownHook(...)}: starts the drain and blocks the hook (the
     * JVM exits when hooks return) until it is done, at most drain + in-flight wait + 10 s.
     */
    public Thread shutdownHook() {
        return new Thread(() -> {
            long limit = drainDuration.toMillis() + maxInFlightWait.toMillis() + 10_000;
            try {
                drain().toCompletionStage().toCompletableFuture().get(limit, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warning("drain did not finish cleanly: " + e);
            }
        }, "meshgate-drain");
    }
}

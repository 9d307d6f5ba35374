package dev.meshgate.gateway.upstream.cluster;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Mutable per-endpoint counters shared by every event loop and carried over from one snapshot to the next for the
 * same cluster and address, so LEAST_REQUEST keeps counting the requests in flight across a reload, and outlier
 * detection keeps its consecutive-error counts and ejections.
 */
public final class HostStats {

    private final AtomicInteger activeRequests = new AtomicInteger();
    final AtomicInteger consecutive5xx = new AtomicInteger();
    final AtomicInteger consecutiveGateway = new AtomicInteger();
    final AtomicInteger consecutiveLocalOrigin = new AtomicInteger();
    /** System.nanoTime() until which the host is ejected; 0 = never ejected. */
    private volatile long ejectedUntilNanos;
    /** Guarded by the cluster's ClusterStats monitor. */
    int ejections;
    long lastEjectionEndNanos;

    public int activeRequests() {
        return activeRequests.get();
    }

    public void requestStarted() {
        activeRequests.incrementAndGet();
    }

    public void requestFinished() {
        activeRequests.decrementAndGet();
    }

    public boolean ejected(long nowNanos) {
        long until = ejectedUntilNanos;
        return until != 0 && nowNanos - until < 0;
    }

    /** Nanoseconds left of the current ejection at {@code nowNanos}; 0 when not ejected (for the admin view). */
    public long ejectedForNanos(long nowNanos) {
        long until = ejectedUntilNanos;
        return until != 0 && nowNanos - until < 0 ? until - nowNanos : 0;
    }

    /** How many times the host was ejected without an interval of good behaviour since (the time multiplier). */
    public int ejectionCount() {
        return ejections;
    }

    public AtomicInteger consecutive5xx() {
        return consecutive5xx;
    }

    public AtomicInteger consecutiveGateway() {
        return consecutiveGateway;
    }

    public AtomicInteger consecutiveLocalOrigin() {
        return consecutiveLocalOrigin;
    }

    long ejectedUntilNanos() {
        return ejectedUntilNanos;
    }

    void ejectedUntilNanos(long until) {
        ejectedUntilNanos = until;
    }
}

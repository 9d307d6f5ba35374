package dev.meshgate.gateway.upstream.cluster;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Mutable per-endpoint counters shared by every event loop and carried over from one snapshot to the next for the
 * same cluster and address, so LEAST_REQUEST keeps counting the requests in flight across a reload. Issue 5's
 * outlier detection (consecutive errors, ejection time) belongs here too.
 */
public final class HostStats {

    private final AtomicInteger activeRequests = new AtomicInteger();

    public int activeRequests() {
        return activeRequests.get();
    }

    public void requestStarted() {
        activeRequests.incrementAndGet();
    }

    public void requestFinished() {
        activeRequests.decrementAndGet();
    }
}

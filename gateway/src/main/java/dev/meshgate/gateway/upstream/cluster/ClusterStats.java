package dev.meshgate.gateway.upstream.cluster;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cluster-wide live counters, carried over across snapshots by cluster name: the circuit breakers' state
 * (requests in flight, pending requests and their queue, retries in flight) and the overflow count.
 */
public final class ClusterStats {

    private final AtomicInteger activeRequests = new AtomicInteger();
    private final AtomicInteger activeRetries = new AtomicInteger();
    private final AtomicInteger pendingRequests = new AtomicInteger();
    private final LongAdder overflows = new LongAdder();
    private final LongAdder retryOverflows = new LongAdder();
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final LongAdder ejectionsTotal = new LongAdder();
    /** Layer-4 (tcp:/tls: route) upstream connections open now; tcp.maxConnections limits them. */
    private final AtomicInteger activeConnections = new AtomicInteger();
    /** No host of the cluster is ejected at or after this System.nanoTime(); lets the request path skip checks. */
    volatile long ejectionHorizonNanos;

    /** Whether some host may still be ejected at {@code nowNanos} (false: every host is healthy, skip the scan). */
    public boolean mayHaveEjections(long nowNanos) {
        long horizon = ejectionHorizonNanos;
        return horizon != 0 && nowNanos - horizon < 0;
    }

    /** Outlier ejections so far (Envoy's outlier_detection.ejections_enforced_total). */
    public LongAdder ejectionsTotal() {
        return ejectionsTotal;
    }

    /** Upstream requests (tries) in flight. */
    public AtomicInteger activeRequests() {
        return activeRequests;
    }

    public AtomicInteger activeRetries() {
        return activeRetries;
    }

    /** Requests waiting for a connection slot (http1MaxPendingRequests counts these). */
    public AtomicInteger pendingRequests() {
        return pendingRequests;
    }

    /** Requests and retries refused by a circuit breaker (Envoy's upstream_rq_pending_overflow and friends). */
    public LongAdder overflows() {
        return overflows;
    }

    /** Retries not attempted because maxRetries or the retry budget was exhausted (upstream_rq_retry_overflow). */
    public LongAdder retryOverflows() {
        return retryOverflows;
    }

    /** Takes one request slot if fewer than {@code limit} are in flight. */
    public boolean tryAcquire(int limit) {
        for (;;) {
            int n = activeRequests.get();
            if (n >= limit) {
                return false;
            }
            if (activeRequests.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Layer-4 upstream connections open now (TCP and TLS routes). */
    public int activeConnections() {
        return activeConnections.get();
    }

    /**
     * Takes one layer-4 connection slot if fewer than {@code limit} are open (Envoy's cluster-wide
     * max_connections breaker, as the TCP proxy checks it before connecting).
     */
    public boolean tryAcquireConnection(int limit) {
        for (;;) {
            int n = activeConnections.get();
            if (n >= limit) {
                return false;
            }
            if (activeConnections.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back a slot taken by {@link #tryAcquireConnection}. */
    public void releaseConnection() {
        activeConnections.decrementAndGet();
    }

    /** Takes one retry slot if fewer than {@code limit} retries are in flight. */
    public boolean tryAcquireRetry(int limit) {
        for (;;) {
            int n = activeRetries.get();
            if (n >= limit) {
                return false;
            }
            if (activeRetries.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /**
     * Queues a request for a slot if fewer than {@code maxPending} wait; null when the queue is full (overflow).
     * The waiter's {@code wake} runs (on whatever thread frees the slot) once it holds a slot.
     */
    public Waiter enqueue(int maxPending, int limit, Runnable wake) {
        for (;;) {
            int n = pendingRequests.get();
            if (n >= maxPending) {
                return null;
            }
            if (pendingRequests.compareAndSet(n, n + 1)) {
                break;
            }
        }
        Waiter w = new Waiter(wake);
        waiters.add(w);
        // a slot may have been released between the caller's failed tryAcquire and the enqueue
        drain(limit);
        return w;
    }

    /** Gives back a request slot and hands it to the next waiter, if any. */
    public void release(int limit) {
        activeRequests.decrementAndGet();
        drain(limit);
    }

    private void drain(int limit) {
        while (waiters.peek() != null) {
            if (!tryAcquire(limit)) {
                return;
            }
            Waiter w = waiters.poll();
            if (w == null || !w.claim()) {
                activeRequests.decrementAndGet();
                if (w == null) {
                    return;
                }
                continue;
            }
            pendingRequests.decrementAndGet();
            w.wake.run();
        }
    }

    /** A queued request; claimed exactly once, either by a freed slot or by its cancellation. */
    public final class Waiter {
        private final Runnable wake;
        private final AtomicBoolean claimed = new AtomicBoolean();

        private Waiter(Runnable wake) {
            this.wake = wake;
        }

        private boolean claim() {
            return claimed.compareAndSet(false, true);
        }

        /** Leaves the queue (downstream gone, route timeout); false if a slot was already handed over. */
        public boolean cancel() {
            if (claim()) {
                pendingRequests.decrementAndGet();
                return true;
            }
            return false;
        }
    }
}

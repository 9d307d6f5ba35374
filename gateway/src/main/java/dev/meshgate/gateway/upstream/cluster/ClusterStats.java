package dev.meshgate.gateway.upstream.cluster;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cluster-wide live counters, carried over across snapshots by cluster name. Issue 5's circuit breakers
 * (max requests, pending, retries) count here.
 */
public final class ClusterStats {

    private final AtomicInteger activeRequests = new AtomicInteger();
    private final AtomicInteger activeRetries = new AtomicInteger();

    public AtomicInteger activeRequests() {
        return activeRequests;
    }

    public AtomicInteger activeRetries() {
        return activeRetries;
    }
}

package dev.meshgate.gateway.upstream.forward;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Envoy's JitteredExponentialBackOffStrategy: the interval starts at the base, doubles after each retry up to
 * 10x the base, and each wait is uniformly random in [0, interval).
 */
final class Backoff {

    private final long maxMs;
    private long nextMs;

    Backoff(long baseMs) {
        long base = Math.max(1, baseMs);
        this.nextMs = base;
        this.maxMs = base * 10;
    }

    long nextDelayMs() {
        long current = nextMs;
        nextMs = nextMs < maxMs / 2 ? nextMs * 2 : maxMs;
        return Math.min(ThreadLocalRandom.current().nextLong(current), maxMs);
    }
}

package dev.meshgate.gateway.observe;

import dev.meshgate.gateway.exchange.Exchange;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts exchanges started but not yet completed and open layer-4 (TCP route, TLS passthrough, TLS-to-TCP)
 * connections, across all event loops; the drain waits for zero, as pilot-agent's EXIT_ON_ZERO_ACTIVE_CONNECTIONS
 * counts every downstream connection.
 */
public final class InFlightRequests implements ExchangeObserver {

    private final AtomicLong count = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();

    @Override
    public void onStart(Exchange exchange) {
        count.incrementAndGet();
    }

    @Override
    public void onComplete(Exchange exchange, int statusCode) {
        count.decrementAndGet();
    }

    /** A layer-4 connection is proxied from now until {@link #connectionClosed()}. */
    public void connectionOpened() {
        connections.incrementAndGet();
    }

    public void connectionClosed() {
        connections.decrementAndGet();
    }

    /** Exchanges in flight plus open layer-4 connections. */
    public long count() {
        return count.get() + connections.get();
    }

    /** Open layer-4 connections only. */
    public long connections() {
        return connections.get();
    }
}

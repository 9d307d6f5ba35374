package dev.meshgate.gateway.observe;

import dev.meshgate.gateway.exchange.Exchange;

import java.util.concurrent.atomic.AtomicLong;

/** Counts exchanges started but not yet completed, across all event loops; the drain waits for zero. */
public final class InFlightRequests implements ExchangeObserver {

    private final AtomicLong count = new AtomicLong();

    @Override
    public void onStart(Exchange exchange) {
        count.incrementAndGet();
    }

    @Override
    public void onComplete(Exchange exchange, int statusCode) {
        count.decrementAndGet();
    }

    public long count() {
        return count.get();
    }
}

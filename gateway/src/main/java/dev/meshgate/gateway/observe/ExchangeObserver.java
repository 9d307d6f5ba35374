package dev.meshgate.gateway.observe;

import dev.meshgate.gateway.exchange.Exchange;

/**
 * Sees every downstream HTTP exchange of the data plane: metrics, the access log and the in-flight count for
 * draining. Both methods run on the request's event loop and must be cheap and non-blocking (no I/O, no locks
 * held for long). The {@link ExchangeTracker} guarantees the pairing: {@code onStart} once, then
 * {@code onComplete} exactly once.
 */
public interface ExchangeObserver {

    /** The exchange was created (request headers received). */
    default void onStart(Exchange exchange) {
    }

    /**
     * The downstream response finished: fully written, or the connection/stream closed first (then the exchange
     * carries the {@code DC} flag and {@code statusCode} is 0 unless response headers had been sent).
     *
     * @param statusCode Envoy's %RESPONSE_CODE%: the status sent downstream, 0 when none was
     */
    void onComplete(Exchange exchange, int statusCode);

    /** Does nothing; for wiring without telemetry. */
    ExchangeObserver NONE = (exchange, statusCode) -> { };
}

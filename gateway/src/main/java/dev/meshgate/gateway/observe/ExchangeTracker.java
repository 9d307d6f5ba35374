package dev.meshgate.gateway.observe;

import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.exchange.ResponseFlag;
import io.vertx.core.http.HttpServerResponse;

/**
 * The one hook the listener calls: {@link #begin(Exchange)} right after it creates an exchange, on the event
 * loop. The tracker takes the downstream response's {@code endHandler} (Vert.x calls it exactly once: when the
 * response is ended, or when the connection/stream closes before that) and reports the exchange to its observer
 * then. Nothing else in the data plane may set {@code response.endHandler} (nor {@code headersEndHandler}, which
 * the {@link DrainingConnections} take); use {@code closeHandler} or {@code bodyEndHandler} instead.
 */
public final class ExchangeTracker {

    private final ExchangeObserver observer;
    /** Connection: close / GOAWAY while draining; null: connections are left alone. */
    private final DrainingConnections draining;

    public ExchangeTracker(ExchangeObserver observer) {
        this(observer, null);
    }

    /** @param draining applied to every response (it takes the response's {@code headersEndHandler}); may be null */
    public ExchangeTracker(ExchangeObserver observer, DrainingConnections draining) {
        this.observer = observer;
        this.draining = draining;
    }

    public ExchangeObserver observer() {
        return observer;
    }

    /** Starts observing {@code exchange}; call once per exchange, before any response is written. */
    public void begin(Exchange exchange) {
        observer.onStart(exchange);
        HttpServerResponse resp = exchange.request().response();
        resp.endHandler(v -> finish(exchange, resp));
        if (draining != null) {
            draining.watch(exchange.request(), resp);
        }
    }

    private void finish(Exchange exchange, HttpServerResponse resp) {
        if (exchange.ended()) {
            return;
        }
        exchange.markEnded(System.nanoTime());
        int status;
        if (resp.ended()) {
            status = resp.getStatusCode();
        } else {
            // closed before the response was complete: Envoy's DC, code 0 unless headers went out
            exchange.flag(ResponseFlag.DC);
            status = resp.headWritten() ? resp.getStatusCode() : 0;
        }
        observer.onComplete(exchange, status);
    }
}

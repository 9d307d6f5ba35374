package dev.meshgate.gateway.observe;

import dev.meshgate.gateway.exchange.Exchange;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fans one exchange out to several observers in order. A failing observer is logged and skipped so that a bug in
 * one (say the access log) never breaks the others or the request path.
 */
public final class CompositeObserver implements ExchangeObserver {

    private static final Logger LOG = Logger.getLogger(CompositeObserver.class.getName());

    private final ExchangeObserver[] observers;

    public CompositeObserver(List<? extends ExchangeObserver> observers) {
        this.observers = observers.toArray(new ExchangeObserver[0]);
    }

    public static ExchangeObserver of(ExchangeObserver... observers) {
        return observers.length == 1 ? observers[0] : new CompositeObserver(List.of(observers));
    }

    @Override
    public void onStart(Exchange exchange) {
        for (ExchangeObserver o : observers) {
            try {
                o.onStart(exchange);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "exchange observer " + o + " failed on start", e);
            }
        }
    }

    @Override
    public void onComplete(Exchange exchange, int statusCode) {
        for (ExchangeObserver o : observers) {
            try {
                o.onComplete(exchange, statusCode);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "exchange observer " + o + " failed on complete", e);
            }
        }
    }
}

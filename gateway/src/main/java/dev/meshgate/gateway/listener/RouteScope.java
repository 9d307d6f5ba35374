package dev.meshgate.gateway.listener;

import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.exchange.ResponseFlag;
import dev.meshgate.gateway.route.VirtualHostTable;
import io.vertx.core.http.HttpServerRequest;

/**
 * Chooses the route table of a request on listeners that have more than one (a TLS port gives every terminating
 * server its own, picked by the connection's SNI), or answers the request itself (421 for a Host served by
 * another server of the port). Called on the event loop once per request, after the protocol checks; it may also
 * adjust the exchange's upstream headers (x-forwarded-client-cert).
 */
public interface RouteScope {

    /** @param host the request's host, lower case, port removed */
    Decision decide(HttpServerRequest request, Exchange exchange, String host);

    sealed interface Decision permits Table, Refuse {
    }

    /** Route the request in {@code hosts}. */
    record Table(VirtualHostTable hosts) implements Decision {
    }

    /** Answer with a local reply. */
    record Refuse(int status, String body, String details, ResponseFlag flag) implements Decision {
    }
}

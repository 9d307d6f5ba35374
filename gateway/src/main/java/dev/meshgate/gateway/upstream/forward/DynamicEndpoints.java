package dev.meshgate.gateway.upstream.forward;

import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.exchange.ResponseFlag;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import io.vertx.core.Future;

/**
 * Clusters whose endpoint is found per request (ServiceEntry {@code resolution: DYNAMIC_DNS}, Envoy's dynamic
 * forward proxy): the request's host is resolved and the call goes to a one-endpoint cluster for that address.
 */
public interface DynamicEndpoints {

    /** Whether this cluster's endpoint is found per request. Called for every request to a cluster without hosts. */
    boolean handles(Cluster cluster);

    /**
     * The cluster to call for this request. Fails with a {@link Refusal} for the local reply to send; completes on
     * the caller's context (or at once, from a cache).
     */
    Future<Cluster> resolve(Exchange exchange, Cluster cluster);

    /** A local reply instead of a call, e.g. Envoy's 503 {@code DNS resolution failure}. */
    final class Refusal extends RuntimeException {
        final int status;
        final ResponseFlag flag;
        final String details;
        final String body;

        public Refusal(int status, ResponseFlag flag, String details, String body) {
            super(details, null, false, false);
            this.status = status;
            this.flag = flag;
            this.details = details;
            this.body = body;
        }

        public int status() {
            return status;
        }

        public String body() {
            return body;
        }
    }
}

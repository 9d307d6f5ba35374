package dev.meshgate.gateway.edge;

import java.util.concurrent.atomic.LongAdder;

/** Connection-level outcomes that never become an HTTP exchange, for the admin API and metrics. */
public final class EdgeCounters {

    /** Passthrough connections closed for want of a route (Envoy NR, filter_chain_not_found). */
    final LongAdder noFilterChain = new LongAdder();
    /** Connections refused because a MUTUAL server on a mixed port got no client certificate. */
    final LongAdder missingClientCertificate = new LongAdder();
    /** Passthrough connections whose ClientHello was malformed or too slow. */
    final LongAdder badClientHello = new LongAdder();
    /** Passthrough connections whose destination had no cluster or no endpoint, or refused the connection. */
    final LongAdder upstreamFailures = new LongAdder();
    final LongAdder passthroughConnections = new LongAdder();
    /**
     * Failed handshakes on terminating ports: an SNI no server takes (with no --default-sni), a client certificate
     * that does not validate, no common protocol or cipher.
     */
    final LongAdder handshakeFailures = new LongAdder();

    public long handshakeFailures() {
        return handshakeFailures.sum();
    }

    public long noFilterChain() {
        return noFilterChain.sum();
    }

    public long missingClientCertificate() {
        return missingClientCertificate.sum();
    }

    public long badClientHello() {
        return badClientHello.sum();
    }

    public long upstreamFailures() {
        return upstreamFailures.sum();
    }

    public long passthroughConnections() {
        return passthroughConnections.sum();
    }
}

package dev.meshgate.gateway.upstream.cluster;

import dev.meshgate.gateway.upstream.lb.HashPolicy;

/** A compiled DestinationRule loadBalancer. */
public sealed interface LbPolicy {

    /** Istio's default when no loadBalancer is set (or simple is UNSPECIFIED). */
    LbPolicy DEFAULT = new Simple(SimpleLb.LEAST_REQUEST);

    enum SimpleLb { LEAST_REQUEST, ROUND_ROBIN, RANDOM, PASSTHROUGH }

    record Simple(SimpleLb kind) implements LbPolicy {
    }

    /** @param tableSize ring: minimumRingSize; maglev: table size; 0 = Envoy's default */
    record ConsistentHash(HashPolicy hashPolicy, boolean maglev, long tableSize) implements LbPolicy {
    }
}

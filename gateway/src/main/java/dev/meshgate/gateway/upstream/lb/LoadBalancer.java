package dev.meshgate.gateway.upstream.lb;

import dev.meshgate.gateway.upstream.cluster.Host;

import java.util.Set;

/**
 * Picks an endpoint for one try. Implementations are immutable after construction apart from lock-free counters,
 * and are shared by every event loop.
 */
public interface LoadBalancer {

    /**
     * @param hash    request hash from the cluster's {@link HashPolicy}, or null when it has none or the key is absent
     * @param exclude hosts already tried that a retry should avoid (may be empty); ignored by consistent-hash LBs
     * @return a host, or null when the cluster has none
     */
    Host choose(Long hash, Set<Host> exclude);
}

package dev.meshgate.gateway.upstream.lb;

import dev.meshgate.gateway.upstream.cluster.Host;

import java.util.List;
import java.util.Set;

/** RANDOM: weighted random choice. */
public final class RandomLb implements LoadBalancer {

    private final Hosts hosts;

    public RandomLb(List<Host> hosts) {
        this.hosts = new Hosts(hosts);
    }

    @Override
    public Host choose(Long hash, Set<Host> exclude) {
        if (hosts.hosts.length == 0) {
            return null;
        }
        Host h = hosts.weightedRandom();
        for (int i = 1; i < Hosts.SELECTION_ATTEMPTS && Hosts.excluded(h, exclude); i++) {
            h = hosts.weightedRandom();
        }
        if (Hosts.excluded(h, exclude)) {
            Host other = hosts.firstNotExcluded(exclude);
            return other != null ? other : h;
        }
        return h;
    }
}

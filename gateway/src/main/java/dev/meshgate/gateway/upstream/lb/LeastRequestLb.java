package dev.meshgate.gateway.upstream.lb;

import dev.meshgate.gateway.upstream.cluster.Host;

import java.util.List;
import java.util.Set;

/**
 * LEAST_REQUEST, Istio's default: Envoy's power-of-two-choices. Two distinct hosts are drawn (by weight; Envoy
 * draws with replacement, so it sometimes compares a host with itself), the one with fewer active requests
 * relative to its weight wins, ties going to the first draw. (Envoy switches to an EDF schedule of weight/(active+1) when weights
 * differ; drawing the candidates by weight gives the same long-run split without a shared scheduler.)
 */
public final class LeastRequestLb implements LoadBalancer {

    private final Hosts hosts;

    public LeastRequestLb(List<Host> hosts) {
        this.hosts = new Hosts(hosts);
    }

    @Override
    public Host choose(Long hash, Set<Host> exclude) {
        int n = hosts.hosts.length;
        if (n == 0) {
            return null;
        }
        if (n == 1) {
            return hosts.hosts[0];
        }
        Host best = null;
        for (int attempt = 0; attempt < Hosts.SELECTION_ATTEMPTS; attempt++) {
            Host a = hosts.weightedRandom();
            Host b = hosts.weightedRandom();
            for (int redraw = 0; b == a && redraw < 8; redraw++) {
                b = hosts.weightedRandom();
            }
            if (b == a) {
                // rare with few hosts, but then a loaded host must still face a rival, never only itself
                b = anyOtherThan(a);
            }
            best = better(a, b);
            if (!Hosts.excluded(best, exclude)) {
                return best;
            }
            Host other = best == a ? b : a;
            if (!Hosts.excluded(other, exclude)) {
                return other;
            }
        }
        Host other = hosts.firstNotExcluded(exclude);
        return other != null ? other : best;
    }

    private Host anyOtherThan(Host a) {
        for (Host h : hosts.hosts) {
            if (h != a) {
                return h;
            }
        }
        return a;
    }

    private static Host better(Host a, Host b) {
        // compare active/weight without division: a.active * b.weight vs b.active * a.weight
        long la = (long) a.stats().activeRequests() * b.weight();
        long lb = (long) b.stats().activeRequests() * a.weight();
        return lb < la ? b : a;
    }
}

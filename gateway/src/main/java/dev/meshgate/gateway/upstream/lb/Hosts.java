package dev.meshgate.gateway.upstream.lb;

import dev.meshgate.gateway.upstream.cluster.Host;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Weighted random choice over an immutable host list; shared by the simple balancers. */
final class Hosts {

    /** Envoy's host_selection_retry_max_attempts as Istio sets it. */
    static final int SELECTION_ATTEMPTS = 5;

    final Host[] hosts;
    final long[] cumulative;
    final long totalWeight;
    final boolean equalWeights;

    Hosts(List<Host> list) {
        hosts = list.toArray(new Host[0]);
        cumulative = new long[hosts.length];
        long sum = 0;
        boolean equal = true;
        for (int i = 0; i < hosts.length; i++) {
            sum += hosts[i].weight();
            cumulative[i] = sum;
            equal &= hosts[i].weight() == hosts[0].weight();
        }
        totalWeight = sum;
        equalWeights = equal;
    }

    Host weightedRandom() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        if (equalWeights) {
            return hosts[rnd.nextInt(hosts.length)];
        }
        long r = rnd.nextLong(totalWeight);
        int lo = 0;
        int hi = hosts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > r) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return hosts[lo];
    }

    /**
     * After the random draws failed to avoid the excluded hosts (Envoy gives up there and reuses one), look for any
     * host not yet tried, from a random start; null when every host was tried.
     */
    Host firstNotExcluded(Set<Host> exclude) {
        int start = ThreadLocalRandom.current().nextInt(hosts.length);
        for (int i = 0; i < hosts.length; i++) {
            Host h = hosts[(start + i) % hosts.length];
            if (!exclude.contains(h)) {
                return h;
            }
        }
        return null;
    }

    static boolean excluded(Host h, Set<Host> exclude) {
        return !exclude.isEmpty() && exclude.contains(h);
    }
}

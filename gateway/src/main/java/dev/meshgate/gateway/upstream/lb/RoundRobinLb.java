package dev.meshgate.gateway.upstream.lb;

import dev.meshgate.gateway.upstream.cluster.Host;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ROUND_ROBIN, weighted: a smooth weighted round-robin schedule (nginx's algorithm, which interleaves hosts
 * instead of sending bursts) is precomputed at compile time; requests walk it with one lock-free counter.
 */
public final class RoundRobinLb implements LoadBalancer {

    /** Cap on the schedule length; weights are scaled down proportionally beyond it. */
    private static final int MAX_SCHEDULE = 8192;

    private final Host[] schedule;
    private final Hosts distinct;
    private final AtomicLong next = new AtomicLong();

    public RoundRobinLb(List<Host> hosts) {
        this.schedule = buildSchedule(hosts);
        this.distinct = new Hosts(hosts);
    }

    static Host[] buildSchedule(List<Host> hosts) {
        if (hosts.isEmpty()) {
            return new Host[0];
        }
        long[] weights = new long[hosts.size()];
        long g = 0;
        long total = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = hosts.get(i).weight();
            g = gcd(g, weights[i]);
        }
        for (int i = 0; i < weights.length; i++) {
            weights[i] /= g;
            total += weights[i];
        }
        if (total > MAX_SCHEDULE) {
            long scaled = 0;
            for (int i = 0; i < weights.length; i++) {
                weights[i] = Math.max(1, weights[i] * MAX_SCHEDULE / total);
                scaled += weights[i];
            }
            total = scaled;
        }
        long[] current = new long[weights.length];
        List<Host> out = new ArrayList<>((int) total);
        for (long step = 0; step < total; step++) {
            int best = 0;
            for (int i = 0; i < weights.length; i++) {
                current[i] += weights[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            out.add(hosts.get(best));
        }
        return out.toArray(new Host[0]);
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    @Override
    public Host choose(Long hash, Set<Host> exclude) {
        if (schedule.length == 0) {
            return null;
        }
        Host h = null;
        for (int i = 0; i < Hosts.SELECTION_ATTEMPTS; i++) {
            h = schedule[(int) Math.floorMod(next.getAndIncrement(), (long) schedule.length)];
            if (!Hosts.excluded(h, exclude)) {
                return h;
            }
        }
        Host other = distinct.firstNotExcluded(exclude);
        return other != null ? other : h;
    }
}

package dev.meshgate.gateway.upstream.lb;

import dev.meshgate.gateway.upstream.cluster.ClusterStats;
import dev.meshgate.gateway.upstream.cluster.Host;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Envoy's priority levels and locality-weighted balancing over a {@link LocalityPlan}; hosts inside a locality
 * (or a whole level) are chosen by the cluster's own algorithm.
 * <p>
 * A level's health is {@code min(100, 140 * healthy / hosts)} (overprovisioning factor 1.4; healthy = not
 * ejected by outlier detection). Levels take load in order up to their health, normalised when the health of
 * all levels adds up to less than 100; the level of a request is drawn from that load (by the hash for
 * consistent-hash clusters, as Envoy does). With locality weighting a locality is then drawn by its weight times
 * its own availability. Without ejections everything goes to P0 without any scan. When the cluster is in panic
 * (healthy hosts below minHealthPercent) health is ignored, as outlier detection ignores ejections then.
 */
public final class PriorityLb implements LoadBalancer {

    /** Envoy's default overprovisioning factor, in percent. */
    public static final int OVERPROVISIONING = 140;

    private final LocalityPlan plan;
    private final Level[] levels;
    private final boolean localityWeighted;
    private final ClusterStats stats;
    private final int minHealthPercent;
    private final int hostCount;

    /**
     * @param balancer         builds the cluster's algorithm over some hosts (one per locality or level)
     * @param stats            the cluster's live stats (ejection horizon), null = never any ejection
     * @param minHealthPercent outlierDetection.minHealthPercent, 0 = never panic
     */
    public PriorityLb(LocalityPlan plan, Function<List<Host>, LoadBalancer> balancer, ClusterStats stats,
                      int minHealthPercent) {
        this.plan = plan;
        this.localityWeighted = plan.localityWeighted();
        this.stats = stats;
        this.minHealthPercent = minHealthPercent;
        this.levels = new Level[plan.levels().size()];
        int n = 0;
        for (int i = 0; i < levels.length; i++) {
            levels[i] = new Level(plan.levels().get(i), localityWeighted, balancer);
            n += levels[i].size;
        }
        this.hostCount = n;
    }

    private static final class Level {
        final Host[][] groups;
        final long[] weights;
        final LoadBalancer[] balancers;
        final long totalWeight;
        final int size;

        Level(List<LocalityPlan.Group> plan, boolean localityWeighted, Function<List<Host>, LoadBalancer> balancer) {
            if (localityWeighted) {
                groups = new Host[plan.size()][];
                weights = new long[plan.size()];
                balancers = new LoadBalancer[plan.size()];
                long total = 0;
                int count = 0;
                for (int g = 0; g < groups.length; g++) {
                    groups[g] = plan.get(g).hosts().toArray(new Host[0]);
                    weights[g] = plan.get(g).weight();
                    balancers[g] = balancer.apply(plan.get(g).hosts());
                    total += weights[g];
                    count += groups[g].length;
                }
                totalWeight = total;
                size = count;
            } else {
                // one set: the level is balanced over all its hosts whatever their locality
                List<Host> all = plan.stream().flatMap(g -> g.hosts().stream()).toList();
                groups = new Host[][] {all.toArray(new Host[0])};
                weights = new long[] {1};
                balancers = new LoadBalancer[] {balancer.apply(all)};
                totalWeight = 1;
                size = all.size();
            }
        }
    }

    @Override
    public Host choose(Long hash, Set<Host> exclude) {
        if (hostCount == 0) {
            return null;
        }
        long now = System.nanoTime();
        int[][] healthy = stats != null && stats.mayHaveEjections(now) ? healthy(now) : null;
        long draw = hash != null ? hash : ThreadLocalRandom.current().nextLong();
        int p = healthy == null ? 0 : pickLevel(healthy, Long.remainderUnsigned(draw, 100));
        Level level = levels[p];
        int g = level.groups.length == 1 ? 0
                : pickGroup(level, healthy == null ? null : healthy[p], hash != null ? mix(hash) : -1L);
        Host h = level.balancers[g].choose(hash, exclude);
        if (h != null && !Hosts.excluded(h, exclude)) {
            return h;
        }
        // every host of that locality was tried (or ejected): prefer any other, nearest level first
        Host other = firstNotExcluded(p, g, hash, exclude);
        return other != null ? other : h;
    }

    /** Healthy hosts per level and group, or null when the cluster is in panic (health is ignored). */
    private int[][] healthy(long now) {
        int[][] out = new int[levels.length][];
        int total = 0;
        for (int p = 0; p < levels.length; p++) {
            Host[][] groups = levels[p].groups;
            out[p] = new int[groups.length];
            for (int g = 0; g < groups.length; g++) {
                int ok = 0;
                for (Host h : groups[g]) {
                    if (!h.stats().ejected(now)) {
                        ok++;
                    }
                }
                out[p][g] = ok;
                total += ok;
            }
        }
        if (minHealthPercent > 0 && 100L * total < (long) minHealthPercent * hostCount) {
            return null;
        }
        return out;
    }

    private int pickLevel(int[][] healthy, long percent) {
        int[] health = new int[levels.length];
        for (int p = 0; p < levels.length; p++) {
            int ok = 0;
            for (int n : healthy[p]) {
                ok += n;
            }
            health[p] = health(ok, levels[p].size);
        }
        int[] load = priorityLoad(health);
        long cumulative = 0;
        for (int p = 0; p < load.length; p++) {
            cumulative += load[p];
            if (percent < cumulative) {
                return p;
            }
        }
        return 0;
    }

    /** Envoy's health score of a level or locality: healthy share times the overprovisioning factor, &le; 100. */
    static int health(int healthy, int hosts) {
        return hosts == 0 ? 0 : (int) Math.min(100, (long) OVERPROVISIONING * healthy / hosts);
    }

    /**
     * Envoy's priority load: each level takes what its health allows of what the levels before it left, the
     * health normalised to the total when that is under 100; rounding leftovers go to the first level with load.
     * No health at all sends everything to P0 (no host is then available: 503 UH).
     */
    static int[] priorityLoad(int[] health) {
        int[] load = new int[health.length];
        int total = 0;
        for (int h : health) {
            total += h;
        }
        total = Math.min(100, total);
        if (total == 0) {
            load[0] = 100;
            return load;
        }
        int remaining = 100;
        int first = -1;
        for (int p = 0; p < health.length; p++) {
            load[p] = Math.min(remaining, health[p] * 100 / total);
            remaining -= load[p];
            if (load[p] > 0 && first < 0) {
                first = p;
            }
        }
        if (remaining > 0) {
            load[first] += remaining;
        }
        return load;
    }

    /** A locality by weight x availability (Envoy's effective locality weight); mixed hash or random. */
    private static int pickGroup(Level level, int[] healthy, long mixedHash) {
        long[] effective = level.weights;
        long total = level.totalWeight;
        if (healthy != null) {
            effective = new long[level.weights.length];
            total = 0;
            for (int g = 0; g < effective.length; g++) {
                effective[g] = level.weights[g] * health(healthy[g], level.groups[g].length);
                total += effective[g];
            }
            if (total == 0) {
                effective = level.weights;
                total = level.totalWeight;
            }
        }
        long r = mixedHash != -1L ? Long.remainderUnsigned(mixedHash, total)
                : ThreadLocalRandom.current().nextLong(total);
        for (int g = 0; g < effective.length; g++) {
            r -= effective[g];
            if (r < 0) {
                return g;
            }
        }
        return effective.length - 1;
    }

    private Host firstNotExcluded(int level, int group, Long hash, Set<Host> exclude) {
        Host h = otherGroups(levels[level], group, hash, exclude);
        for (int p = 0; h == null && p < levels.length; p++) {
            if (p != level) {
                h = otherGroups(levels[p], -1, hash, exclude);
            }
        }
        return h;
    }

    private static Host otherGroups(Level l, int skip, Long hash, Set<Host> exclude) {
        for (int g = 0; g < l.groups.length; g++) {
            if (g != skip) {
                Host h = l.balancers[g].choose(hash, exclude);
                if (h != null && !Hosts.excluded(h, exclude)) {
                    return h;
                }
            }
        }
        return null;
    }

    /** Decorrelates the locality draw from the level draw when both come from one request hash. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h & Long.MAX_VALUE;
    }

    /** The levels and localities, for the admin view. */
    public LocalityPlan plan() {
        return plan;
    }
}

package dev.meshgate.gateway.upstream.lb;

import dev.meshgate.gateway.upstream.cluster.Host;

import java.util.List;

/**
 * A cluster's endpoints as Envoy's priority levels and localities after Istio's localityLbSetting was applied:
 * {@code levels.get(0)} is P0. Hosts left out (distribute drops unlisted localities) get no traffic.
 *
 * @param localityWeighted Envoy's locality-weighted LB: within a level, a locality is picked by its weight
 *                         (scaled by its availability) before a host; otherwise a level is balanced as one set
 */
public record LocalityPlan(List<List<Group>> levels, boolean localityWeighted) {

    public LocalityPlan {
        levels = levels.stream().map(List::copyOf).toList();
    }

    /** @param weight locality weight (Envoy's LocalityLbEndpoints.load_balancing_weight), &ge; 1 */
    public record Group(Locality locality, long weight, List<Host> hosts) {

        public Group {
            hosts = List.copyOf(hosts);
            weight = Math.max(1, weight);
        }
    }

    /** Every host the plan gives traffic to. */
    public java.util.Set<Host> hosts() {
        java.util.Set<Host> out = new java.util.HashSet<>();
        for (List<Group> level : levels) {
            for (Group g : level) {
                out.addAll(g.hosts());
            }
        }
        return out;
    }

    /** The priority level (0 = P0) of a host, or -1 when the plan leaves it out. */
    public int priorityOf(Host host) {
        for (int p = 0; p < levels.size(); p++) {
            for (Group g : levels.get(p)) {
                if (g.hosts().contains(host)) {
                    return p;
                }
            }
        }
        return -1;
    }
}

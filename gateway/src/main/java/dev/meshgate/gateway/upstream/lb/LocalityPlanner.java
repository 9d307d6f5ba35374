package dev.meshgate.gateway.upstream.lb;

import dev.meshgate.config.model.networking.Distribute;
import dev.meshgate.config.model.networking.Failover;
import dev.meshgate.config.model.networking.LocalityLoadBalancerSetting;
import dev.meshgate.gateway.upstream.cluster.Host;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Istio's locality load balancing (pilot loadbalancer.go) for one cluster: which Envoy priority level and
 * locality weight each endpoint gets, given the gateway's own locality and labels.
 * <ul>
 *   <li>The rule's localityLbSetting replaces the mesh's, whose default is {@code enabled: true} with no
 *       rules; {@code enabled: false} turns locality LB off.</li>
 *   <li>{@code distribute}: the first entry whose {@code from} matches the gateway's locality sets locality
 *       weights; localities it does not name get no traffic. Needs no outlierDetection.</li>
 *   <li>Otherwise failover, which only applies with outlierDetection (without health information Envoy would
 *       never leave P0, so Istio does not configure priorities): {@code failoverPriority} labels first, then the
 *       locality priority (same subzone 0, zone 1, region 2, other 3, or 3/4 with a {@code failover} region
 *       mapping), priorities compacted to 0..N.</li>
 * </ul>
 * Without a gateway locality ({@code --locality} unset) distribute and region failover do nothing;
 * failoverPriority still compares labels.
 */
public final class LocalityPlanner {

    private LocalityPlanner() {
    }

    /**
     * @param rule             the effective loadBalancer.localityLbSetting, null when the rule has none
     * @param outlierDetection whether the cluster has outlierDetection (failover needs it)
     * @return the plan, or null when every host is one set balanced as usual
     */
    public static LocalityPlan plan(ProxyLocality self, LocalityLoadBalancerSetting rule, boolean outlierDetection,
                                    List<Host> hosts) {
        if (hosts.isEmpty() || (rule != null && Boolean.FALSE.equals(rule.enabled()))) {
            return null;
        }
        boolean located = !self.locality().isEmpty();
        if (rule != null && !rule.distribute().isEmpty()) {
            return located ? distribute(self.locality(), rule.distribute(), hosts) : null;
        }
        if (!outlierDetection) {
            return null;
        }
        List<String> priorityLabels = rule == null ? List.of() : rule.failoverPriority();
        List<Failover> failover = rule == null ? List.of() : rule.failover();
        if (priorityLabels.isEmpty() && !located) {
            return null;
        }
        int[] priority = new int[hosts.size()];
        for (int i = 0; i < priority.length; i++) {
            Host h = hosts.get(i);
            int p = priorityLabels.isEmpty() ? 0 : labelPriority(self.labels(), h.labels(), priorityLabels);
            if (located && (priorityLabels.isEmpty() || !failover.isEmpty())) {
                // Istio keeps the label priority and refines it by locality: p * 5 + locality priority
                p = p * 5 + localityPriority(self.locality(), Locality.of(h.labels()), failover);
            }
            priority[i] = p;
        }
        // locality weighting is on when failover rules are explicit (Istio sets LocalityWeightedLbConfig then)
        boolean weighted = !priorityLabels.isEmpty() || !failover.isEmpty();
        TreeMap<Integer, LinkedHashMap<Locality, List<Host>>> byPriority = new TreeMap<>();
        for (int i = 0; i < priority.length; i++) {
            Host h = hosts.get(i);
            byPriority.computeIfAbsent(priority[i], k -> new LinkedHashMap<>())
                    .computeIfAbsent(Locality.of(h.labels()), k -> new ArrayList<>()).add(h);
        }
        if (byPriority.size() == 1 && (!weighted || byPriority.firstEntry().getValue().size() == 1)) {
            return null;
        }
        List<List<LocalityPlan.Group>> levels = new ArrayList<>();
        for (LinkedHashMap<Locality, List<Host>> localities : byPriority.values()) {
            List<LocalityPlan.Group> level = new ArrayList<>();
            localities.forEach((loc, list) -> level.add(new LocalityPlan.Group(loc, weightOf(list), list)));
            levels.add(level);
        }
        return new LocalityPlan(levels, weighted);
    }

    /** Istio's LbPriority plus the failover mapping: a region other than the mapped one drops to 4. */
    static int localityPriority(Locality self, Locality endpoint, List<Failover> failover) {
        int p = self.priorityOf(endpoint);
        if (p == 3) {
            for (Failover f : failover) {
                if (self.region().equals(f.from())) {
                    if (!endpoint.region().equals(f.to())) {
                        p = 4;
                    }
                    break;
                }
            }
        }
        return p;
    }

    /**
     * Istio's failoverPriority: 0 when every label matches the gateway's value (or the {@code key=value}
     * override), else {@code n - j} for the first label j that differs.
     */
    static int labelPriority(Map<String, String> self, Map<String, String> endpoint, List<String> labels) {
        for (int j = 0; j < labels.size(); j++) {
            String entry = labels.get(j);
            int eq = entry.indexOf('=');
            String key = eq < 0 ? entry : entry.substring(0, eq);
            String want = eq < 0 ? self.getOrDefault(key, "") : entry.substring(eq + 1);
            if (!want.equals(endpoint.getOrDefault(key, ""))) {
                return labels.size() - j;
            }
        }
        return 0;
    }

    /**
     * Istio's applyLocalityWeights: a locality's weight (the sum of its endpoint weights) becomes
     * {@code ceil(weight * to / total)} where total sums the localities the same {@code to} entry matched; the
     * entries are tried in the order written, each locality taken by the first that matches.
     */
    private static LocalityPlan distribute(Locality self, List<Distribute> rules, List<Host> hosts) {
        Distribute rule = null;
        for (Distribute d : rules) {
            if (d.from() != null && self.matches(d.from())) {
                rule = d;
                break;
            }
        }
        if (rule == null) {
            return null;
        }
        LinkedHashMap<Locality, List<Host>> byLocality = new LinkedHashMap<>();
        for (Host h : hosts) {
            byLocality.computeIfAbsent(Locality.of(h.labels()), k -> new ArrayList<>()).add(h);
        }
        Map<Locality, Long> weights = new HashMap<>();
        for (Map.Entry<String, Integer> to : rule.to().entrySet()) {
            long total = 0;
            List<Locality> matched = new ArrayList<>();
            for (Map.Entry<Locality, List<Host>> e : byLocality.entrySet()) {
                if (!weights.containsKey(e.getKey()) && !matched.contains(e.getKey()) && e.getKey().matches(to.getKey())) {
                    matched.add(e.getKey());
                    total += weightOf(e.getValue());
                }
            }
            for (Locality loc : matched) {
                long w = weightOf(byLocality.get(loc));
                weights.put(loc, (w * to.getValue() + total - 1) / total);
            }
        }
        List<LocalityPlan.Group> level = new ArrayList<>();
        byLocality.forEach((loc, list) -> {
            Long w = weights.get(loc);
            if (w != null) {
                level.add(new LocalityPlan.Group(loc, w, list));
            }
        });
        return new LocalityPlan(List.of(level), true);
    }

    private static long weightOf(List<Host> hosts) {
        long w = 0;
        for (Host h : hosts) {
            w += h.weight();
        }
        return w;
    }
}

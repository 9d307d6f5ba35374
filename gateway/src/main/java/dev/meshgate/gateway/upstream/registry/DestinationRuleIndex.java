package dev.meshgate.gateway.upstream.registry;

import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.networking.DestinationRule;
import dev.meshgate.config.model.networking.Subset;
import dev.meshgate.config.snapshot.ConfigSnapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DestinationRules by namespace and host, merged as Istio merges rules for the same host (subsets concatenated,
 * first definition of a subset name wins, first top-level trafficPolicy wins; oldest rule first), and looked up
 * as Istio's PushContext.destinationRule does for a proxy: the gateway's namespace, then the service's namespace,
 * then the root namespace, honouring exportTo, each time the most specific host (exact, then longest wildcard).
 * Rules with a workloadSelector are left out: they target sidecars. Built once per snapshot.
 */
public final class DestinationRuleIndex {

    /** One namespace's merged rules. */
    private record NamespaceRules(Map<String, MergedRule> exact, List<MergedRule> wildcards) {
    }

    /**
     * Rules for one host in one namespace after merging.
     *
     * @param exportTo exportTo of the first rule that set one (empty = everywhere)
     */
    public record MergedRule(String host, String namespace, DestinationRule rule, List<String> exportTo) {

        public Subset subset(String name) {
            for (Subset s : rule.subsets()) {
                if (s.name().equals(name)) {
                    return s;
                }
            }
            return null;
        }

        boolean visibleTo(String ns) {
            if (exportTo.isEmpty()) {
                return true;
            }
            for (String e : exportTo) {
                if (e.equals("*") || e.equals(ns) || (e.equals(".") && ns.equals(namespace))) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Map<String, NamespaceRules> byNamespace;

    private DestinationRuleIndex(Map<String, NamespaceRules> byNamespace) {
        this.byNamespace = byNamespace;
    }

    public static DestinationRuleIndex build(ConfigSnapshot snapshot) {
        List<Resource<DestinationRule>> rules = new ArrayList<>(snapshot.all(DestinationRule.class));
        rules.sort(ConfigOrder.OLDEST_FIRST);
        Map<String, Map<String, List<Resource<DestinationRule>>>> grouped = new HashMap<>();
        for (Resource<DestinationRule> r : rules) {
            if (r.spec().workloadSelector() != null || r.spec().host() == null) {
                continue;
            }
            String host = HostNames.qualify(r.spec().host(), r.namespace());
            grouped.computeIfAbsent(r.namespace(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(host, k -> new ArrayList<>()).add(r);
        }
        Map<String, NamespaceRules> out = new HashMap<>();
        grouped.forEach((ns, hosts) -> {
            Map<String, MergedRule> exact = new HashMap<>();
            List<MergedRule> wildcards = new ArrayList<>();
            hosts.forEach((host, list) -> {
                MergedRule m = merge(host, ns, list);
                if (host.startsWith("*")) {
                    wildcards.add(m);
                } else {
                    exact.put(host, m);
                }
            });
            // longest (most specific) wildcard first
            wildcards.sort(Comparator.comparingInt((MergedRule m) -> m.host().length()).reversed());
            out.put(ns, new NamespaceRules(exact, List.copyOf(wildcards)));
        });
        return new DestinationRuleIndex(out);
    }

    private static MergedRule merge(String host, String ns, List<Resource<DestinationRule>> list) {
        DestinationRule first = list.get(0).spec();
        if (list.size() == 1) {
            return new MergedRule(host, ns, first, first.exportTo());
        }
        var policy = first.trafficPolicy();
        List<String> exportTo = first.exportTo();
        Map<String, Subset> subsets = new LinkedHashMap<>();
        for (Resource<DestinationRule> r : list) {
            DestinationRule d = r.spec();
            if (policy == null) {
                policy = d.trafficPolicy();
            }
            if (exportTo.isEmpty()) {
                exportTo = d.exportTo();
            }
            for (Subset s : d.subsets()) {
                subsets.putIfAbsent(s.name(), s);
            }
        }
        DestinationRule merged = new DestinationRule(host, policy, List.copyOf(subsets.values()), exportTo, null);
        return new MergedRule(host, ns, merged, exportTo);
    }

    /**
     * The rule that applies to {@code host} (a service defined in {@code serviceNs}) for a gateway in
     * {@code gatewayNs}, or null.
     */
    public MergedRule lookup(String host, String serviceNs, String gatewayNs, String rootNs) {
        MergedRule m = find(gatewayNs, host, null);
        if (m == null && serviceNs != null && !serviceNs.equals(gatewayNs)) {
            m = find(serviceNs, host, gatewayNs);
        }
        if (m == null && !rootNs.equals(gatewayNs)) {
            m = find(rootNs, host, gatewayNs);
        }
        return m;
    }

    /** @param viewer null = the namespace's own proxy (every rule visible), else rules must be exported to it */
    private MergedRule find(String ns, String host, String viewer) {
        NamespaceRules rules = byNamespace.get(ns);
        if (rules == null) {
            return null;
        }
        MergedRule m = rules.exact().get(host);
        if (m != null && (viewer == null || m.visibleTo(viewer))) {
            return m;
        }
        for (MergedRule w : rules.wildcards()) {
            if (HostNames.wildcardMatches(w.host(), host) && (viewer == null || w.visibleTo(viewer))) {
                return w;
            }
        }
        return null;
    }
}

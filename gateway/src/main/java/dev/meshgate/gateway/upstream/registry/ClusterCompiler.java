package dev.meshgate.gateway.upstream.registry;

import dev.meshgate.config.model.networking.HTTPSettings;
import dev.meshgate.config.model.networking.Protocol;
import dev.meshgate.config.model.networking.ServicePort;
import dev.meshgate.config.model.networking.Subset;
import dev.meshgate.config.model.networking.TrafficPolicy;
import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.gateway.route.ClusterKey;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.ClusterStats;
import dev.meshgate.gateway.upstream.cluster.ClusterTable;
import dev.meshgate.gateway.upstream.cluster.Host;
import dev.meshgate.gateway.upstream.cluster.HostStats;
import dev.meshgate.gateway.upstream.cluster.UpstreamProtocol;
import dev.meshgate.gateway.upstream.lb.LocalityPlan;
import dev.meshgate.gateway.upstream.lb.LocalityPlanner;
import dev.meshgate.gateway.upstream.lb.ProxyLocality;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compiles a snapshot's registry and DestinationRules into the {@link ClusterTable}: one cluster per service
 * port and per (service port, subset) of the applicable DestinationRule, plus port-0 aliases for single-port
 * services. Live counters are carried over from the previous table for clusters and endpoints that remain.
 */
public final class ClusterCompiler {

    private final List<ServiceSource> sources;
    private final String gatewayNamespace;
    private final String rootNamespace;

    private final OriginationCredentials credentials;
    private final ProxyLocality self;

    public ClusterCompiler(List<ServiceSource> sources, String gatewayNamespace, String rootNamespace) {
        this(sources, gatewayNamespace, rootNamespace, OriginationCredentials.NONE);
    }

    public ClusterCompiler(List<ServiceSource> sources, String gatewayNamespace, String rootNamespace,
                           OriginationCredentials credentials) {
        this(sources, gatewayNamespace, rootNamespace, credentials, ProxyLocality.NONE);
    }

    /** @param self the gateway's locality and labels, for localityLbSetting */
    public ClusterCompiler(List<ServiceSource> sources, String gatewayNamespace, String rootNamespace,
                           OriginationCredentials credentials, ProxyLocality self) {
        this.self = self == null ? ProxyLocality.NONE : self;
        this.sources = List.copyOf(sources);
        this.gatewayNamespace = gatewayNamespace;
        this.rootNamespace = rootNamespace;
        this.credentials = credentials == null ? OriginationCredentials.NONE : credentials;
    }

    /**
     * A compiled table and its DYNAMIC_DNS clusters.
     *
     * @param dynamicDnsPorts cluster name -&gt; the port to connect to on the resolved address of the request's host
     *                        (the ServiceEntry port's targetPort, else its number)
     */
    public record Compiled(ClusterTable table, Map<String, Integer> dynamicDnsPorts) {
    }

    public ClusterTable compile(ConfigSnapshot snapshot, ClusterTable previous) {
        return compileAll(snapshot, previous).table();
    }

    public Compiled compileAll(ConfigSnapshot snapshot, ClusterTable previous) {
        Map<String, Cluster> old = new HashMap<>();
        for (Cluster c : previous.clusters().values()) {
            old.put(c.name(), c);
        }
        DestinationRuleIndex rules = DestinationRuleIndex.build(snapshot);
        Map<ClusterKey, Cluster> out = new HashMap<>();
        Map<String, Integer> dynamic = new HashMap<>();
        for (List<PortOf> ports : merge(sources, snapshot).values()) {
            compileService(ports, rules, old, out, dynamic);
        }
        return new Compiled(new ClusterTable(out), Map.copyOf(dynamic));
    }

    /** One service port and the definition it came from. */
    private record PortOf(RegistryService svc, ServicePort port) {
    }

    /**
     * The visible definitions of each host, in source order (sources order their services oldest first): the first
     * definition wins; a later one of the same host in the same namespace adds the ports the host does not have yet
     * (as Istio's sidecar scope merges ServiceEntries split by port); one in another namespace is ignored.
     */
    private static Map<String, List<PortOf>> merge(List<ServiceSource> sources, ConfigSnapshot snapshot) {
        Map<String, List<PortOf>> byHost = new LinkedHashMap<>();
        Map<String, String> owner = new HashMap<>();
        for (ServiceSource source : sources) {
            for (RegistryService svc : source.services(snapshot)) {
                String ns = owner.putIfAbsent(svc.host(), svc.namespace());
                if (ns != null && !java.util.Objects.equals(ns, svc.namespace())) {
                    continue;
                }
                List<PortOf> have = byHost.computeIfAbsent(svc.host(), k -> new ArrayList<>());
                for (ServicePort p : svc.ports()) {
                    if (have.stream().noneMatch(x -> x.port().number() == p.number())) {
                        have.add(new PortOf(svc, p));
                    }
                }
            }
        }
        return byHost;
    }

    private void compileService(List<PortOf> ports, DestinationRuleIndex rules, Map<String, Cluster> old,
                                Map<ClusterKey, Cluster> out, Map<String, Integer> dynamic) {
        if (ports.isEmpty()) {
            return;
        }
        RegistryService first = ports.get(0).svc();
        DestinationRuleIndex.MergedRule dr = rules.lookup(first.host(), first.namespace(), gatewayNamespace,
                rootNamespace);
        TrafficPolicy top = dr == null ? null : dr.rule().trafficPolicy();
        boolean single = ports.size() == 1;
        for (PortOf po : ports) {
            ServicePort port = po.port();
            RegistryService svc = po.svc();
            List<ClusterKey> keys = new ArrayList<>();
            keys.add(new ClusterKey(svc.host(), "", port.number()));
            addCluster(out, old, keys.get(0), single, port,
                    TrafficPolicies.effective(top, null, port.number()), svc, Map.of());
            if (dr != null) {
                for (Subset subset : dr.rule().subsets()) {
                    ClusterKey key = new ClusterKey(svc.host(), subset.name(), port.number());
                    keys.add(key);
                    addCluster(out, old, key, single, port,
                            TrafficPolicies.effective(top, subset.trafficPolicy(), port.number()), svc,
                            subset.labels());
                }
            }
            if (svc.dynamicDns()) {
                int target = port.targetPort() > 0 ? port.targetPort() : port.number();
                for (ClusterKey k : keys) {
                    dynamic.put(k.name(), target);
                }
            }
        }
    }

    private void addCluster(Map<ClusterKey, Cluster> out, Map<String, Cluster> old, ClusterKey key, boolean single,
                            ServicePort port, TrafficPolicy policy, RegistryService svc, Map<String, String> selector) {
        String name = key.name();
        Cluster previous = old.get(name);
        Map<String, HostStats> oldHosts = new HashMap<>();
        if (previous != null) {
            for (Host h : previous.hosts()) {
                oldHosts.put(h.hostPort(), h.stats());
            }
        }
        List<Host> hosts = new ArrayList<>();
        for (Host h : hosts(svc, port, selector)) {
            HostStats stats = oldHosts.get(h.hostPort());
            hosts.add(stats == null ? h : new Host(h.address(), h.port(), h.weight(), h.labels(), stats));
        }
        LocalityPlan locality = LocalityPlanner.plan(self, policy == null || policy.loadBalancer() == null ? null
                : policy.loadBalancer().localityLbSetting(), policy != null && policy.outlierDetection() != null, hosts);
        if (locality != null) {
            // distribute leaves unlisted localities out of the cluster, as Istio empties their LbEndpoints
            java.util.Set<Host> planned = locality.hosts();
            hosts = hosts.stream().filter(planned::contains).toList();
        }
        Cluster c = Cluster.build(key, name, protocol(port, policy), TrafficPolicies.compile(policy, credentials), hosts,
                previous == null ? new ClusterStats() : previous.stats(), locality);
        out.put(key, c);
        if (single) {
            out.put(new ClusterKey(key.host(), key.subset(), 0), c);
        }
    }

    private static List<Host> hosts(RegistryService svc, ServicePort port, Map<String, String> selector) {
        List<Host> hosts = new ArrayList<>();
        for (ServiceEndpoint ep : svc.endpoints()) {
            if (Labels.selects(selector, ep.labels())) {
                hosts.add(new Host(ep.address(), ep.portFor(port.name(), port.targetPort(), port.number()),
                        ep.weight() <= 0 ? 1 : ep.weight(), ep.labels(), null));
            }
        }
        return hosts;
    }

    /**
     * Istio's choice of the upstream protocol (cluster builder setUpstreamProtocol, shouldH2Upgrade,
     * applyConnectionPool): {@code useClientProtocol} keeps the downstream's protocol, on any port; else HTTP/2 for
     * HTTP2 and GRPC ports (protocol, else the port-name prefix {@code http2}, {@code grpc}, {@code h2c}) and for
     * any port whose policy says {@code h2UpgradePolicy: UPGRADE}; else HTTP/1.1. {@code DEFAULT} follows
     * MeshConfig h2UpgradePolicy, whose default (and ours) is DO_NOT_UPGRADE. DO_NOT_UPGRADE never downgrades an
     * HTTP/2 port.
     */
    static UpstreamProtocol protocol(ServicePort port, TrafficPolicy policy) {
        HTTPSettings http = policy == null || policy.connectionPool() == null ? null : policy.connectionPool().http();
        if (http != null && http.useClientProtocol()) {
            return UpstreamProtocol.DOWNSTREAM;
        }
        Protocol p = port.protocol();
        String name = port.name() == null ? "" : port.name().toLowerCase(Locale.ROOT);
        String prefix = name.contains("-") ? name.substring(0, name.indexOf('-')) : name;
        if (p == Protocol.HTTP2 || p == Protocol.GRPC
                || (p == null && (prefix.equals("http2") || prefix.equals("grpc") || prefix.equals("h2c")))) {
            return UpstreamProtocol.H2C;
        }
        // Istio: "If user wants an upgrade at destination rule/port level ... he is sure that it is a Http port"
        if (http != null && http.h2UpgradePolicy() == HTTPSettings.H2UpgradePolicy.UPGRADE) {
            return UpstreamProtocol.H2C;
        }
        return UpstreamProtocol.HTTP1;
    }
}

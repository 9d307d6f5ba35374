package dev.meshgate.gateway.upstream.cluster;

import dev.meshgate.gateway.route.ClusterKey;
import dev.meshgate.gateway.upstream.lb.HashPolicy;
import dev.meshgate.gateway.upstream.lb.LeastRequestLb;
import dev.meshgate.gateway.upstream.lb.LoadBalancer;
import dev.meshgate.gateway.upstream.lb.LocalityPlan;
import dev.meshgate.gateway.upstream.lb.MaglevLb;
import dev.meshgate.gateway.upstream.lb.PriorityLb;
import dev.meshgate.gateway.upstream.lb.RandomLb;
import dev.meshgate.gateway.upstream.lb.RingHashLb;
import dev.meshgate.gateway.upstream.lb.RoundRobinLb;

import java.util.List;

/**
 * One compiled upstream cluster ({@code outbound|port|subset|host}): endpoints, balancer, protocol and policy.
 * Immutable apart from the live counters in {@link HostStats} and {@link ClusterStats}.
 *
 * @param name          Envoy cluster name with the resolved port
 * @param hashPolicy    non-null only for consistentHash balancers
 * @param clientProfile the upstream client; HTTP/1.1 for a {@link UpstreamProtocol#DOWNSTREAM} cluster
 * @param h2Profile     a DOWNSTREAM cluster's client for requests that arrived over HTTP/2, else null
 */
public record Cluster(ClusterKey key, String name, UpstreamProtocol protocol, ClusterPolicy policy, List<Host> hosts,
                      LoadBalancer loadBalancer, HashPolicy hashPolicy, ClientProfile clientProfile,
                      ClientProfile h2Profile, ClusterStats stats) {

    public Cluster {
        hosts = List.copyOf(hosts);
    }

    public static Cluster build(ClusterKey key, String name, UpstreamProtocol protocol, ClusterPolicy policy,
                                List<Host> hosts, ClusterStats stats) {
        return build(key, name, protocol, policy, hosts, stats, null);
    }

    /**
     * @param locality the endpoints' priority levels and locality weights (Istio's localityLbSetting), or null
     *                 when all hosts are balanced as one set
     */
    public static Cluster build(ClusterKey key, String name, UpstreamProtocol protocol, ClusterPolicy policy,
                                List<Host> hosts, ClusterStats stats, LocalityPlan locality) {
        ClusterStats s = stats == null ? new ClusterStats() : stats;
        HashPolicy hash = policy.loadBalancer() instanceof LbPolicy.ConsistentHash ch ? ch.hashPolicy() : null;
        LoadBalancer lb = locality == null ? balancer(policy.loadBalancer(), hosts)
                : new PriorityLb(locality, some -> balancer(policy.loadBalancer(), some), s,
                        policy.outlier() == null ? 0 : policy.outlier().minHealthPercent());
        ClientProfile profile = ClientProfile.of(protocol, policy);
        return new Cluster(key, name, protocol, policy, hosts, lb, hash, profile,
                protocol == UpstreamProtocol.DOWNSTREAM ? profile.asHttp2() : null, s);
    }

    private static LoadBalancer balancer(LbPolicy policy, List<Host> hosts) {
        if (policy instanceof LbPolicy.ConsistentHash ch) {
            return ch.maglev() ? new MaglevLb(hosts, ch.tableSize()) : new RingHashLb(hosts, ch.tableSize());
        }
        return switch (((LbPolicy.Simple) policy).kind()) {
            case ROUND_ROBIN -> new RoundRobinLb(hosts);
            case RANDOM -> new RandomLb(hosts);
            // PASSTHROUGH: a gateway has no original destination, so Istio falls back to the endpoints
            case LEAST_REQUEST, PASSTHROUGH -> new LeastRequestLb(hosts);
        };
    }

    /** The client profile for one request: useClientProtocol follows the downstream's HTTP version. */
    public ClientProfile clientProfile(boolean downstreamHttp2) {
        return downstreamHttp2 && h2Profile != null ? h2Profile : clientProfile;
    }
}

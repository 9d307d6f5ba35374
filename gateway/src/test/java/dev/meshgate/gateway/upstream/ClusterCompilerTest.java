package dev.meshgate.gateway.upstream;

import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.networking.ConnectionPoolSettings;
import dev.meshgate.config.model.networking.ConsistentHashLB;
import dev.meshgate.config.model.networking.DestinationRule;
import dev.meshgate.config.model.networking.LoadBalancerSettings;
import dev.meshgate.config.model.networking.LoadBalancerSettings.SimpleLB;
import dev.meshgate.config.model.networking.MagLev;
import dev.meshgate.config.model.networking.PortSelector;
import dev.meshgate.config.model.networking.PortTrafficPolicy;
import dev.meshgate.config.model.networking.Protocol;
import dev.meshgate.config.model.networking.ServiceEntry;
import dev.meshgate.config.model.networking.ServicePort;
import dev.meshgate.config.model.networking.Subset;
import dev.meshgate.config.model.networking.TCPSettings;
import dev.meshgate.config.model.networking.TrafficPolicy;
import dev.meshgate.config.model.networking.WorkloadEntry;
import dev.meshgate.gateway.route.ClusterKey;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.ClusterPolicy;
import dev.meshgate.gateway.upstream.cluster.ClusterTable;
import dev.meshgate.gateway.upstream.cluster.Host;
import dev.meshgate.gateway.upstream.cluster.LbPolicy;
import dev.meshgate.gateway.upstream.cluster.UpstreamProtocol;
import dev.meshgate.gateway.upstream.lb.HashPolicy;
import dev.meshgate.gateway.upstream.lb.LeastRequestLb;
import dev.meshgate.gateway.upstream.lb.MaglevLb;
import dev.meshgate.gateway.upstream.lb.RingHashLb;
import dev.meshgate.gateway.upstream.lb.RoundRobinLb;
import dev.meshgate.gateway.upstream.registry.ClusterCompiler;
import dev.meshgate.gateway.upstream.registry.ServiceEntrySource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.meshgate.gateway.upstream.Fixtures.lb;
import static dev.meshgate.gateway.upstream.Fixtures.port;
import static dev.meshgate.gateway.upstream.Fixtures.resource;
import static dev.meshgate.gateway.upstream.Fixtures.rule;
import static dev.meshgate.gateway.upstream.Fixtures.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterCompilerTest {

    private final ClusterCompiler compiler = new ClusterCompiler(List.of(new ServiceEntrySource()), "istio-system",
            "istio-system");

    private ClusterTable compile(Resource<?>... resources) {
        return compiler.compile(snapshot(resources), ClusterTable.EMPTY);
    }

    private static Resource<WorkloadEntry> workload(String ns, String name, String address, Map<String, Integer> ports,
                                                    Map<String, String> labels, int weight) {
        return resource(Kind.WORKLOAD_ENTRY, ns, name, new WorkloadEntry(address, ports, labels, null, null, weight, null));
    }

    private static Set<String> hostPorts(Cluster c) {
        return c.hosts().stream().map(Host::hostPort).collect(Collectors.toSet());
    }

    @Test
    void workloadSelectorPicksWorkloadEntriesOfTheSameNamespaceWithPortPrecedence() {
        var se = Fixtures.selectorService("bookinfo", "reviews.bookinfo.svc.cluster.local",
                List.of(new ServicePort(9080, Protocol.HTTP, "http", 19080), new ServicePort(9443, Protocol.GRPC, "grpc", 0)),
                Map.of("app", "reviews"));
        ClusterTable t = compile(se,
                workload("bookinfo", "r1", "10.0.0.1", Map.of("http", 7001), Map.of("app", "reviews", "version", "v1"), 0),
                workload("bookinfo", "r2", "10.0.0.2", Map.of(), Map.of("app", "reviews", "version", "v2"), 3),
                workload("bookinfo", "other", "10.0.0.3", Map.of(), Map.of("app", "ratings"), 0),
                workload("elsewhere", "r4", "10.0.0.4", Map.of(), Map.of("app", "reviews"), 0),
                rule("bookinfo", "reviews", "reviews",  null,
                        new Subset("v1", Map.of("version", "v1"), null),
                        new Subset("v2", Map.of("version", "v2"), null)));

        Cluster http = t.find(new ClusterKey("reviews.bookinfo.svc.cluster.local", "", 9080));
        // WorkloadEntry.ports by name beats targetPort, which beats the port number
        assertEquals(Set.of("10.0.0.1:7001", "10.0.0.2:19080"), hostPorts(http));
        assertEquals(UpstreamProtocol.HTTP1, http.protocol());
        assertEquals("outbound|9080||reviews.bookinfo.svc.cluster.local", http.name());
        Cluster grpc = t.find(new ClusterKey("reviews.bookinfo.svc.cluster.local", "", 9443));
        assertEquals(Set.of("10.0.0.1:9443", "10.0.0.2:9443"), hostPorts(grpc));
        assertEquals(UpstreamProtocol.H2C, grpc.protocol());

        Cluster v2 = t.find(new ClusterKey("reviews.bookinfo.svc.cluster.local", "v2", 9080));
        assertEquals(Set.of("10.0.0.2:19080"), hostPorts(v2));
        assertEquals(3, v2.hosts().get(0).weight());
        assertEquals(Map.of("app", "reviews", "version", "v2"), v2.hosts().get(0).labels());
        assertNull(t.find(new ClusterKey("reviews.bookinfo.svc.cluster.local", "v3", 9080)), "unknown subset");
        assertNull(t.find(new ClusterKey("reviews.bookinfo.svc.cluster.local", "", 0)), "two ports: port required");
        assertNull(t.find(new ClusterKey("ratings.bookinfo.svc.cluster.local", "", 9080)), "unknown host");
    }

    @Test
    void staticEndpointsAndSinglePortAlias() {
        ServiceEntry se = new ServiceEntry(List.of("api.example.com"), List.of(),
                List.of(new ServicePort(8080, null, "http2-api", 0)), null, ServiceEntry.Resolution.STATIC,
                List.of(new WorkloadEntry("192.0.2.1", Map.of(), Map.of("zone", "a"), null, null, 0, null),
                        new WorkloadEntry("192.0.2.2", Map.of("http2-api", 9000), Map.of("zone", "b"), null, null, 0, null)),
                null, List.of(), List.of());
        ClusterTable t = compile(resource(Kind.SERVICE_ENTRY, "egress", "api", se));
        Cluster c = t.find(new ClusterKey("api.example.com", "", 0));
        assertNotNull(c);
        assertSame(c, t.find(new ClusterKey("api.example.com", "", 8080)));
        assertEquals(Set.of("192.0.2.1:8080", "192.0.2.2:9000"), hostPorts(c));
        assertEquals(UpstreamProtocol.H2C, c.protocol(), "port name prefix http2-");
        assertEquals(ClusterPolicy.DEFAULT, c.policy());
        assertInstanceOf(LeastRequestLb.class, c.loadBalancer());
    }

    @Test
    void resolutionNoneWithEndpointsUsesThemAndWithoutGivesNoHosts() {
        ServiceEntry none = new ServiceEntry(List.of("a.example.com", "b.example.com"), List.of(),
                List.of(port(80, "http", Protocol.HTTP)), null, ServiceEntry.Resolution.NONE,
                List.of(new WorkloadEntry("192.0.2.9", Map.of(), Map.of(), null, null, 0, null)), null, List.of(), List.of());
        ServiceEntry empty = new ServiceEntry(List.of("c.example.com"), List.of(), List.of(port(80, "http", Protocol.HTTP)),
                null, ServiceEntry.Resolution.NONE, List.of(), null, List.of(), List.of());
        ClusterTable t = compile(resource(Kind.SERVICE_ENTRY, "default", "none", none),
                resource(Kind.SERVICE_ENTRY, "default", "empty", empty));
        assertEquals(Set.of("192.0.2.9:80"), hostPorts(t.find(new ClusterKey("b.example.com", "", 80))));
        assertTrue(t.find(new ClusterKey("c.example.com", "", 0)).hosts().isEmpty());
    }

    @Test
    void destinationRuleLookupFollowsNamespaceVisibility() {
        var se = Fixtures.staticService("shop", "cart.shop.svc.cluster.local", 1000);
        TrafficPolicy rr = lb(SimpleLB.ROUND_ROBIN);
        TrafficPolicy random = lb(SimpleLB.RANDOM);
        // service namespace, exported to everyone
        ClusterTable t = compile(se, rule("shop", "svc-ns", "cart", rr));
        assertInstanceOf(RoundRobinLb.class, t.find(new ClusterKey("cart.shop.svc.cluster.local", "", 80)).loadBalancer());

        // a rule in the gateway's namespace wins over the service namespace's
        t = compile(se, rule("shop", "svc-ns", "cart", rr),
                rule("istio-system", "gw-ns", "cart.shop.svc.cluster.local", random));
        assertEquals(new LbPolicy.Simple(LbPolicy.SimpleLb.RANDOM),
                t.find(new ClusterKey("cart.shop.svc.cluster.local", "", 80)).policy().loadBalancer());

        // exportTo "." in the service namespace hides it from the gateway
        var hidden = resource(Kind.DESTINATION_RULE, "shop", "private",
                new DestinationRule("cart", rr, List.of(), List.of("."), null));
        t = compile(se, hidden);
        assertEquals(LbPolicy.DEFAULT, t.find(new ClusterKey("cart.shop.svc.cluster.local", "", 80)).policy().loadBalancer());

        // a rule in a third namespace does not apply; a wildcard in the root namespace does, most specific first
        t = compile(se, rule("other", "x", "cart.shop.svc.cluster.local", rr),
                rule("istio-system", "all", "*.svc.cluster.local", random),
                rule("istio-system", "shop", "*.shop.svc.cluster.local", rr));
        assertEquals(new LbPolicy.Simple(LbPolicy.SimpleLb.ROUND_ROBIN),
                t.find(new ClusterKey("cart.shop.svc.cluster.local", "", 80)).policy().loadBalancer());
    }

    @Test
    void rulesForTheSameHostMergeSubsetsFirstDefinitionWins() {
        var se = Fixtures.staticService("default", "svc.test", 1000, 1001);
        ClusterTable t = compile(se,
                rule("istio-system", "a", "svc.test", lb(SimpleLB.RANDOM), new Subset("s1", Map.of("idx", "0"), null)),
                rule("istio-system", "b", "svc.test", lb(SimpleLB.ROUND_ROBIN), new Subset("s1", Map.of("idx", "1"), null),
                        new Subset("s2", Map.of("idx", "1"), null)));
        assertEquals(Set.of("127.0.0.1:1000"), hostPorts(t.find(new ClusterKey("svc.test", "s1", 80))));
        assertEquals(Set.of("127.0.0.1:1001"), hostPorts(t.find(new ClusterKey("svc.test", "s2", 0))));
        assertEquals(new LbPolicy.Simple(LbPolicy.SimpleLb.RANDOM), t.find(new ClusterKey("svc.test", "", 80)).policy().loadBalancer());
    }

    @Test
    void subsetPolicyOverridesFieldByFieldAndPortLevelSettingsDoNotInherit() {
        var se = Fixtures.staticService("default", "svc.test", 1000);
        ConnectionPoolSettings cp = new ConnectionPoolSettings(
                new TCPSettings(0, Duration.ofMillis(750), null, null, Duration.ofMinutes(5)), null);
        TrafficPolicy top = new TrafficPolicy(new LoadBalancerSettings(SimpleLB.RANDOM, null, null, null, null, null), cp,
                null, null, List.of(), null, null, null);
        TrafficPolicy subset = lb(SimpleLB.ROUND_ROBIN);
        ClusterTable t = compile(se, rule("default", "dr", "svc.test", top, new Subset("rr", Map.of(), subset)));
        ClusterPolicy base = t.find(new ClusterKey("svc.test", "", 80)).policy();
        assertEquals(Duration.ofMillis(750), base.connectTimeout());
        assertEquals(Duration.ofMinutes(5), base.idleTimeout());
        ClusterPolicy rrPolicy = t.find(new ClusterKey("svc.test", "rr", 80)).policy();
        assertEquals(new LbPolicy.Simple(LbPolicy.SimpleLb.ROUND_ROBIN), rrPolicy.loadBalancer());
        assertEquals(Duration.ofMillis(750), rrPolicy.connectTimeout(), "connectionPool inherited from the top level");

        TrafficPolicy withPort = new TrafficPolicy(top.loadBalancer(), cp, null, null,
                List.of(new PortTrafficPolicy(new PortSelector(80), new LoadBalancerSettings(SimpleLB.ROUND_ROBIN, null, null,
                        null, null, null), null, null, null)), null, null, null);
        t = compile(se, rule("default", "dr", "svc.test", withPort));
        ClusterPolicy p = t.find(new ClusterKey("svc.test", "", 80)).policy();
        assertEquals(new LbPolicy.Simple(LbPolicy.SimpleLb.ROUND_ROBIN), p.loadBalancer());
        assertEquals(TCPSettings.DEFAULT_CONNECT_TIMEOUT, p.connectTimeout(), "port level replaces without inheriting");
    }

    @Test
    void consistentHashSettingsCompile() {
        var se = Fixtures.staticService("default", "svc.test", 1000, 1001, 1002);
        ConsistentHashLB ring = new ConsistentHashLB("x-user", null, null, null, null, null, null);
        ConsistentHashLB maglev = new ConsistentHashLB(null, null, true, null, null, new MagLev(null), null);
        ClusterTable t = compile(se, rule("default", "dr", "svc.test",
                lb(new LoadBalancerSettings(null, ring, null, null, null, null)),
                new Subset("m", Map.of(), lb(new LoadBalancerSettings(null, maglev, null, null, null, null)))));
        Cluster r = t.find(new ClusterKey("svc.test", "", 80));
        assertEquals(new HashPolicy.Header("x-user"), r.hashPolicy());
        assertInstanceOf(RingHashLb.class, r.loadBalancer());
        assertTrue(((RingHashLb) r.loadBalancer()).ringSize() >= 1024);
        Cluster m = t.find(new ClusterKey("svc.test", "m", 80));
        assertEquals(new HashPolicy.SourceIp(), m.hashPolicy());
        assertEquals(65537, ((MaglevLb) m.loadBalancer()).tableSize());
    }

    @Test
    void liveCountersSurviveARecompile() {
        var se = Fixtures.staticService("default", "svc.test", 1000, 1001);
        ClusterTable first = compile(se);
        Host h = first.find(new ClusterKey("svc.test", "", 80)).hosts().get(0);
        h.stats().requestStarted();
        ClusterTable second = compiler.compile(snapshot(se), first);
        Host again = second.find(new ClusterKey("svc.test", "", 80)).hosts().stream()
                .filter(x -> x.hostPort().equals(h.hostPort())).findFirst().orElseThrow();
        assertSame(h.stats(), again.stats());
        assertEquals(1, again.stats().activeRequests());
    }
}

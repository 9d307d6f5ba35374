package dev.meshgate.gateway.upstream.lb;

import dev.meshgate.config.model.networking.Distribute;
import dev.meshgate.config.model.networking.Failover;
import dev.meshgate.config.model.networking.LocalityLoadBalancerSetting;
import dev.meshgate.gateway.upstream.cluster.Host;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Istio's assignment of endpoints to priority levels and locality weights (pilot loadbalancer.go). */
class LocalityPlannerTest {

    private static final ProxyLocality EAST = new ProxyLocality(Locality.parse("us-east/zone1/sub1"),
            Map.of("istio", "ingressgateway", "tier", "gold"));

    private static Host host(int i, String locality, Map<String, String> labels) {
        return new Host("10.0.0." + i, 80, 1, Locality.parse(locality).augment(labels, null), null);
    }

    private static Host host(int i, String locality) {
        return host(i, locality, Map.of());
    }

    private static LocalityLoadBalancerSetting failover(Failover... f) {
        return new LocalityLoadBalancerSetting(null, List.of(f), null, null);
    }

    @Test
    void defaultFailoverOrdersBySubzoneZoneRegionAndCompactsLevels() {
        List<Host> hosts = List.of(host(1, "us-east/zone1/sub1"), host(2, "us-east/zone1/sub2"),
                host(3, "us-west/zone1/sub1"), host(4, "us-east/zone2/sub1"), host(5, ""));
        // no localityLbSetting: the mesh default (enabled) applies once outlierDetection is set
        LocalityPlan plan = LocalityPlanner.plan(EAST, null, true, hosts);
        assertEquals(4, plan.levels().size());
        assertEquals(0, plan.priorityOf(hosts.get(0)));
        assertEquals(1, plan.priorityOf(hosts.get(1)));
        assertEquals(2, plan.priorityOf(hosts.get(3)));
        assertEquals(3, plan.priorityOf(hosts.get(2)));
        assertEquals(3, plan.priorityOf(hosts.get(4)), "no locality is another region");
        assertFalse(plan.localityWeighted(), "Istio sets locality weighting only for explicit rules");
    }

    @Test
    void failoverNeedsOutlierDetectionAndALocalityAndIsOffWhenDisabled() {
        List<Host> hosts = List.of(host(1, "us-east/zone1/sub1"), host(2, "us-west/zone1/sub1"));
        assertNull(LocalityPlanner.plan(EAST, null, false, hosts), "no health information: no priorities");
        assertNull(LocalityPlanner.plan(EAST, new LocalityLoadBalancerSetting(null, null, null, false), true, hosts));
        assertNull(LocalityPlanner.plan(ProxyLocality.NONE, null, true, hosts), "no --locality: no awareness");
        assertEquals(2, LocalityPlanner.plan(EAST, new LocalityLoadBalancerSetting(null, null, null, true), true,
                hosts).levels().size());
    }

    @Test
    void allEndpointsInTheGatewaysSubzoneNeedNoPlan() {
        assertNull(LocalityPlanner.plan(EAST, null, true, List.of(host(1, "us-east/zone1/sub1"),
                host(2, "us-east/zone1/sub1"))));
    }

    @Test
    void failoverRegionMappingPutsTheMappedRegionBeforeOthers() {
        List<Host> hosts = List.of(host(1, "us-east/zone1/sub1"), host(2, "eu-west/z/s"), host(3, "us-west/z/s"));
        LocalityPlan plan = LocalityPlanner.plan(EAST, failover(new Failover("us-east", "us-west")), true, hosts);
        assertEquals(List.of(0, 2, 1), List.of(plan.priorityOf(hosts.get(0)), plan.priorityOf(hosts.get(1)),
                plan.priorityOf(hosts.get(2))));
        assertTrue(plan.localityWeighted());
        // a rule for another origin region changes nothing
        LocalityPlan other = LocalityPlanner.plan(EAST, failover(new Failover("eu-west", "us-west")), true, hosts);
        assertEquals(other.priorityOf(hosts.get(1)), other.priorityOf(hosts.get(2)));
    }

    @Test
    void failoverPriorityRanksByTheLongestMatchingLabelPrefix() {
        Host both = host(1, "us-west/z/s", Map.of("tier", "gold", "ring", "a"));
        Host first = host(2, "us-west/z/s", Map.of("tier", "gold", "ring", "b"));
        Host none = host(3, "us-west/z/s", Map.of("tier", "silver", "ring", "a"));
        LocalityPlan plan = LocalityPlanner.plan(EAST,
                new LocalityLoadBalancerSetting(null, null, List.of("tier", "ring=a"), null), true,
                List.of(none, first, both));
        assertEquals(0, plan.priorityOf(both));
        assertEquals(1, plan.priorityOf(first));
        assertEquals(2, plan.priorityOf(none));
        // the gateway's own labels include its locality's topology labels
        assertEquals(1, LocalityPlanner.labelPriority(EAST.labels(), both.labels(), List.of(Locality.REGION_LABEL)));
        assertEquals(0, LocalityPlanner.labelPriority(EAST.labels(),
                host(4, "us-east/zone9/s").labels(), List.of(Locality.REGION_LABEL)));
    }

    @Test
    void failoverPriorityWithFailoverRefinesEachLabelLevelByLocality() {
        Host goldLocal = host(1, "us-east/zone1/sub1", Map.of("tier", "gold"));
        Host goldWest = host(2, "us-west/z/s", Map.of("tier", "gold"));
        Host silverLocal = host(3, "us-east/zone1/sub1", Map.of("tier", "silver"));
        LocalityPlan plan = LocalityPlanner.plan(EAST, new LocalityLoadBalancerSetting(null,
                List.of(new Failover("us-east", "us-west")), List.of("tier"), null), true,
                List.of(silverLocal, goldWest, goldLocal));
        assertEquals(List.of(0, 1, 2), List.of(plan.priorityOf(goldLocal), plan.priorityOf(goldWest),
                plan.priorityOf(silverLocal)));
    }

    @Test
    void distributeWeighsLocalitiesAndDropsTheUnlisted() {
        List<Host> hosts = new ArrayList<>(List.of(host(1, "us-east/zone1/a"), host(2, "us-east/zone1/b"),
                host(3, "us-west/zone1/a"), host(4, "eu/z/s")));
        Map<String, Integer> to = new LinkedHashMap<>();
        to.put("us-east/zone1/*", 80);
        to.put("us-west/*", 20);
        LocalityLoadBalancerSetting setting = new LocalityLoadBalancerSetting(List.of(
                new Distribute("eu/*", Map.of("eu/z/s", 100)), new Distribute("us-east/zone1/*", to)),
                null, null, null);
        // distribute needs no outlierDetection
        LocalityPlan plan = LocalityPlanner.plan(EAST, setting, false, hosts);
        assertEquals(1, plan.levels().size());
        assertTrue(plan.localityWeighted());
        Map<String, Long> weights = new LinkedHashMap<>();
        plan.levels().get(0).forEach(g -> weights.put(g.locality().toString(), g.weight()));
        // the wildcard's 80 is shared by the two subzones it matched, by their endpoint weight
        assertEquals(Map.of("us-east/zone1/a", 40L, "us-east/zone1/b", 40L, "us-west/zone1/a", 20L), weights);
        assertEquals(-1, plan.priorityOf(hosts.get(3)), "a locality distribute does not name gets no traffic");
        assertNull(LocalityPlanner.plan(new ProxyLocality(Locality.parse("ap/z/s"), Map.of()), setting, false,
                hosts), "no from matches the gateway: plain balancing");
    }

    @Test
    void localityPatternsFollowIstioLocalityMatch() {
        Locality l = Locality.parse("us-east/zone1/sub1");
        assertTrue(l.matches("us-east"));
        assertTrue(l.matches("us-east/*"));
        assertTrue(l.matches("*"));
        assertTrue(l.matches("us-east/zone1/sub1"));
        assertFalse(l.matches("us-east/zone2"));
        assertFalse(l.matches("us-west/*"));
        assertEquals(Locality.parse("us-east/zone1/sub1"), Locality.of(l.augment(Map.of(), null)));
    }
}

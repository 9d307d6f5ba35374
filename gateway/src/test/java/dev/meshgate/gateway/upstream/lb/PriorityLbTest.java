package dev.meshgate.gateway.upstream.lb;

import dev.meshgate.config.model.networking.OutlierDetection;
import dev.meshgate.gateway.route.ClusterKey;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.ClusterPolicy;
import dev.meshgate.gateway.upstream.cluster.Host;
import dev.meshgate.gateway.upstream.cluster.LbPolicy;
import dev.meshgate.gateway.upstream.cluster.OutlierDetector;
import dev.meshgate.gateway.upstream.cluster.OutlierPolicy;
import dev.meshgate.gateway.upstream.cluster.UpstreamProtocol;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Envoy's priority load and locality-weighted selection, with ejections made by the real outlier detector. */
class PriorityLbTest {

    private static final ProxyLocality EAST = new ProxyLocality(Locality.parse("us-east/zone1/sub1"), Map.of());

    @Test
    void priorityLoadFollowsEnvoysTable() {
        // Envoy docs, two levels with P1 fully healthy: P0 healthy 100/72/71/50/25/0 %
        int[][] expected = {{100, 0}, {100, 0}, {99, 1}, {70, 30}, {35, 65}, {0, 100}};
        int[] healthyPercent = {100, 72, 71, 50, 25, 0};
        for (int i = 0; i < healthyPercent.length; i++) {
            int[] health = {PriorityLb.health(healthyPercent[i], 100), 100};
            assertArrayEquals(expected[i], PriorityLb.priorityLoad(health), "P0 healthy " + healthyPercent[i]);
        }
        // total health under 100 is normalised: 20% + 20% healthy give 28 + 28, i.e. half each
        assertArrayEquals(new int[] {50, 50}, PriorityLb.priorityLoad(new int[] {28, 28}));
        assertArrayEquals(new int[] {100, 0, 0}, PriorityLb.priorityLoad(new int[] {0, 0, 0}));
    }

    private static Host host(int i, String locality) {
        return new Host("10.0.0." + i, 80, 1, Locality.parse(locality).augment(Map.of(), null), null);
    }

    private static Cluster cluster(List<Host> hosts, LocalityPlan plan) {
        OutlierPolicy od = OutlierPolicy.of(new OutlierDetection(0, false, null, null, 1, Duration.ofSeconds(10),
                Duration.ofSeconds(30), 100, 0, List.of()));
        ClusterPolicy policy = new ClusterPolicy(new LbPolicy.Simple(LbPolicy.SimpleLb.ROUND_ROBIN), null, null,
                null, od, null);
        return Cluster.build(new ClusterKey("svc", "", 80), "outbound|80||svc", UpstreamProtocol.HTTP1, policy,
                hosts, null, plan);
    }

    private static Map<Host, Integer> spread(Cluster c, int n) {
        Map<Host, Integer> out = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Set<Host> ejected = OutlierDetector.excluded(c);
            Host h = c.loadBalancer().choose(null, ejected);
            assertNotNull(h);
            out.merge(h, 1, Integer::sum);
        }
        return out;
    }

    @Test
    void trafficStaysInP0UntilItsHealthDropsThenSpillsByOverprovisioning() {
        List<Host> local = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            local.add(host(i, "us-east/zone1/sub1"));
        }
        Host zone2 = host(10, "us-east/zone2/a");
        List<Host> all = new ArrayList<>(local);
        all.add(zone2);
        Cluster c = cluster(all, LocalityPlanner.plan(EAST, null, true, all));
        assertTrue(c.loadBalancer() instanceof PriorityLb);
        assertEquals(0, spread(c, 400).getOrDefault(zone2, 0), "healthy P0 takes everything");

        OutlierDetector.onResponse(c, local.get(0), 503);
        // 3 of 4 healthy: 140 * 3 / 4 = 105 -> still 100% P0
        assertEquals(0, spread(c, 400).getOrDefault(zone2, 0));

        OutlierDetector.onResponse(c, local.get(1), 503);
        // 2 of 4 healthy: P0 health 70 -> 70/30
        Map<Host, Integer> half = spread(c, 4000);
        double share = half.getOrDefault(zone2, 0) / 4000.0;
        assertTrue(share > 0.25 && share < 0.35, "P1 gets ~30%: " + share);
        assertEquals(0, half.getOrDefault(local.get(0), 0) + half.getOrDefault(local.get(1), 0),
                "never an ejected host");

        OutlierDetector.onResponse(c, local.get(2), 503);
        OutlierDetector.onResponse(c, local.get(3), 503);
        assertEquals(Map.of(zone2, 200), spread(c, 200), "P0 all ejected: everything to P1");
    }

    @Test
    void localityWeightsScaleWithAvailabilityInsideALevel() {
        Host a1 = host(1, "us-east/zone1/a");
        Host a2 = host(2, "us-east/zone1/a");
        Host b = host(3, "us-west/zone1/a");
        LocalityPlan plan = new LocalityPlan(List.of(List.of(
                new LocalityPlan.Group(Locality.parse("us-east/zone1/a"), 50, List.of(a1, a2)),
                new LocalityPlan.Group(Locality.parse("us-west/zone1/a"), 50, List.of(b)))), true);
        Cluster c = cluster(List.of(a1, a2, b), plan);
        Map<Host, Integer> even = spread(c, 4000);
        double eastShare = (even.get(a1) + even.get(a2)) / 4000.0;
        assertTrue(eastShare > 0.45 && eastShare < 0.55, "50/50 by locality weight: " + eastShare);
        OutlierDetector.onResponse(c, a1, 503);
        // east availability 140 * 1/2 = 70: effective weights 50*70 vs 50*100
        Map<Host, Integer> after = spread(c, 4000);
        double share = after.getOrDefault(a2, 0) / 4000.0;
        assertTrue(share > 0.36 && share < 0.46, "east ~41%: " + share);
        assertEquals(0, after.getOrDefault(a1, 0));
    }

    @Test
    void consistentHashKeepsAKeyOnOneHostAndARetryLeavesTheTriedLevel() {
        Host local = host(1, "us-east/zone1/sub1");
        Host far = host(2, "us-west/zone1/sub1");
        LocalityPlan plan = LocalityPlanner.plan(EAST, null, true, List.of(local, far));
        ClusterPolicy policy = new ClusterPolicy(new LbPolicy.ConsistentHash(null, false, 0), null, null);
        Cluster c = Cluster.build(new ClusterKey("svc", "", 80), "outbound|80||svc", UpstreamProtocol.HTTP1, policy,
                List.of(local, far), null, plan);
        for (long key = 0; key < 50; key++) {
            assertSame(local, c.loadBalancer().choose(key * 7919, Set.of()));
        }
        assertSame(far, c.loadBalancer().choose(42L, Set.of(local)), "the only P0 host was tried");
        assertSame(local, c.loadBalancer().choose(42L, Set.of(local, far)), "all tried: reuse");
    }
}

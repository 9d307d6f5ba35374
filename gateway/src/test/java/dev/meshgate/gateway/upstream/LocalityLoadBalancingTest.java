package dev.meshgate.gateway.upstream;

import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.networking.Distribute;
import dev.meshgate.config.model.networking.LoadBalancerSettings;
import dev.meshgate.config.model.networking.LocalityLoadBalancerSetting;
import dev.meshgate.config.model.networking.OutlierDetection;
import dev.meshgate.config.model.networking.Protocol;
import dev.meshgate.config.model.networking.ServiceEntry;
import dev.meshgate.config.model.networking.TrafficPolicy;
import dev.meshgate.config.model.networking.WorkloadEntry;
import dev.meshgate.gateway.route.ClusterKey;
import dev.meshgate.gateway.route.RetryPolicy;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.Host;
import dev.meshgate.gateway.upstream.forward.ForwardOptions;
import dev.meshgate.gateway.upstream.lb.Locality;
import dev.meshgate.gateway.upstream.lb.PriorityLb;
import dev.meshgate.gateway.upstream.lb.ProxyLocality;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.meshgate.gateway.upstream.Fixtures.dest;
import static dev.meshgate.gateway.upstream.Fixtures.port;
import static dev.meshgate.gateway.upstream.Fixtures.resource;
import static dev.meshgate.gateway.upstream.Fixtures.rule;
import static dev.meshgate.gateway.upstream.Fixtures.snapshot;
import static dev.meshgate.gateway.upstream.Harness.await;
import static dev.meshgate.gateway.upstream.Harness.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ServiceEntry endpoint weight and locality through the whole upstream path: real backends on 127.0.0.1 that
 * answer with their name, a gateway in us-east/zone1/sub1, and outlier detection ejecting the backends that fail.
 */
class LocalityLoadBalancingTest {

    private final Harness h = new Harness(new UpstreamOptions("istio-system", "istio-system", ForwardOptions.DEFAULT)
            .withLocality(new ProxyLocality(Locality.parse("us-east/zone1/sub1"), Map.of("istio", "ingressgateway"))));
    private final HttpClient client = h.client();

    @AfterEach
    void close() {
        h.close();
    }

    private record Reply(int status, String body) {
    }

    private Reply get() {
        return await(h.onLoop(() -> client.request(new RequestOptions().setURI("/")).compose(req -> req.send())
                .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), b.toString())))));
    }

    /** Backend name -> its switch: while true it answers 503. */
    private final Map<String, AtomicBoolean> failing = new LinkedHashMap<>();

    private WorkloadEntry backend(String name, String locality, int weight) {
        return backend(name, locality, weight, "net-1");
    }

    private WorkloadEntry backend(String name, String locality, int weight, String network) {
        AtomicBoolean fail = new AtomicBoolean();
        failing.put(name, fail);
        int p = h.backend(r -> r.response().setStatusCode(fail.get() ? 503 : 200).end(name));
        return new WorkloadEntry("127.0.0.1", Map.of("http", p), Map.of("name", name), network, locality, weight, null);
    }

    private static Resource<ServiceEntry> service(WorkloadEntry... endpoints) {
        return resource(Kind.SERVICE_ENTRY, "default", "svc-test", new ServiceEntry(List.of("svc.test"), List.of(),
                List.of(port(80, "http", Protocol.HTTP)), ServiceEntry.Location.MESH_INTERNAL,
                ServiceEntry.Resolution.STATIC, List.of(endpoints), null, List.of(), List.of()));
    }

    private static TrafficPolicy policy(LoadBalancerSettings.SimpleLB simple, LocalityLoadBalancerSetting locality,
                                        OutlierDetection od) {
        return new TrafficPolicy(new LoadBalancerSettings(simple, null, locality, null, null, null), null, od, null,
                null, null, null, null);
    }

    /** Ejects after one 5xx for 3s; every host may be ejected. */
    private static OutlierDetection ejectOnFirst503() {
        return new OutlierDetection(0, false, null, null, 1, Duration.ofSeconds(1), Duration.ofSeconds(3), 100, 0,
                List.of());
    }

    private Map<String, Integer> send(int n) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Reply r = get();
            counts.merge(r.status() == 200 ? r.body() : r.body() + ":" + r.status(), 1, Integer::sum);
        }
        return counts;
    }

    private Cluster cluster() {
        return h.manager.clusters().find(new ClusterKey("svc.test", "", 80));
    }

    private boolean ejected(String name) {
        long now = System.nanoTime();
        for (Host x : cluster().hosts()) {
            if (name.equals(x.labels().get("name"))) {
                return x.stats().ejected(now);
            }
        }
        throw new AssertionError("no host " + name);
    }

    @Test
    void endpointWeightsSplitThreeToOneWithEverySimpleBalancer() {
        for (LoadBalancerSettings.SimpleLB simple : List.of(LoadBalancerSettings.SimpleLB.ROUND_ROBIN,
                LoadBalancerSettings.SimpleLB.RANDOM, LoadBalancerSettings.SimpleLB.LEAST_REQUEST)) {
            failing.clear();
            h.apply(snapshot(service(backend("heavy", null, 3), backend("light", null, 1)),
                    rule("default", "lb", "svc.test", policy(simple, null, null))));
            h.route(dest("svc.test"), null, RetryPolicy.NONE);
            boolean exact = simple == LoadBalancerSettings.SimpleLB.ROUND_ROBIN;
            int n = exact ? 400 : 800;
            Map<String, Integer> counts = send(n);
            double heavy = counts.getOrDefault("heavy", 0) / (double) n;
            assertEquals(n, counts.getOrDefault("heavy", 0) + counts.getOrDefault("light", 0), simple + ": " + counts);
            if (exact) {
                assertEquals(Map.of("heavy", 300, "light", 100), counts, "the weighted schedule is exact");
            }
            assertTrue(heavy > 0.69 && heavy < 0.81, simple + " gives weight 3 of 4 ~75%: " + counts);
        }
    }

    @Test
    void failoverMovesToTheNextPriorityWhenTheLocalHostsAreEjectedAndBackWhenTheyRecover() {
        h.apply(snapshot(service(backend("local-1", "us-east/zone1/sub1", 0), backend("local-2", "us-east/zone1/sub1", 0),
                        backend("zone2", "us-east/zone2/sub1", 0), backend("west", "us-west/zone1/sub1", 0)),
                rule("default", "od", "svc.test", policy(LoadBalancerSettings.SimpleLB.ROUND_ROBIN, null,
                        ejectOnFirst503()))));
        h.route(dest("svc.test"), null, RetryPolicy.NONE);
        assertTrue(cluster().loadBalancer() instanceof PriorityLb, "outlierDetection turns Istio's default failover on");

        Map<String, Integer> healthy = send(40);
        assertEquals(Map.of("local-1", 20, "local-2", 20), healthy, "only P0 (same subzone) while it is healthy");
        Map<String, Integer> priorities = new LinkedHashMap<>();
        io.vertx.core.json.JsonArray endpoints = await(new dev.meshgate.gateway.admin.ClusterTableView(h.manager::clusters)
                .render()).getJsonArray("clusters").getJsonObject(0).getJsonArray("endpoints");
        for (int i = 0; i < endpoints.size(); i++) {
            io.vertx.core.json.JsonObject e = endpoints.getJsonObject(i);
            priorities.put(e.getJsonObject("labels").getString("name"), e.getInteger("priority"));
        }
        assertEquals(Map.of("local-1", 0, "local-2", 0, "zone2", 1, "west", 2), priorities, "/clusters shows the levels");

        failing.get("local-1").set(true);
        failing.get("local-2").set(true);
        int failures = 0;
        for (int i = 0; i < 20 && !(ejected("local-1") && ejected("local-2")); i++) {
            if (get().status() == 503) {
                failures++;
            }
        }
        assertTrue(ejected("local-1") && ejected("local-2"), "both local hosts ejected");
        assertEquals(2, failures, "one 503 from each local host before it is ejected");
        Map<String, Integer> failedOver = send(30);
        assertTrue(ejected("local-1") && ejected("local-2"), "still ejected after the burst");
        assertEquals(Map.of("zone2", 30), failedOver, "the same region's other zone (P1) takes all the traffic");

        // the zone fails too: the other region is next
        failing.get("zone2").set(true);
        assertEquals(503, get().status());
        assertTrue(ejected("zone2"));
        assertEquals(Map.of("west", 20), send(20));

        // the local hosts recover; once their ejection ends, P0 is healthy again and takes the traffic back
        failing.get("local-1").set(false);
        failing.get("local-2").set(false);
        eventually(() -> !ejected("local-1") && !ejected("local-2"), "the local ejections to end");
        Map<String, Integer> back = send(20);
        assertEquals(Map.of("local-1", 10, "local-2", 10), back);
    }

    @Test
    void withoutOutlierDetectionThereAreNoPriorities() {
        h.apply(snapshot(service(backend("local", "us-east/zone1/sub1", 0), backend("west", "us-west/zone1/sub1", 0)),
                rule("default", "rr", "svc.test", policy(LoadBalancerSettings.SimpleLB.ROUND_ROBIN, null, null))));
        h.route(dest("svc.test"), null, RetryPolicy.NONE);
        assertEquals(Map.of("local", 10, "west", 10), send(20), "Istio: failover needs outlierDetection");
    }

    @Test
    void distributeSplitsEightyTwentyByLocality() {
        Map<String, Integer> to = new LinkedHashMap<>();
        to.put("us-east/zone1/*", 80);
        to.put("us-west/*", 20);
        LocalityLoadBalancerSetting distribute = new LocalityLoadBalancerSetting(
                List.of(new Distribute("us-east/zone1/*", to)), null, null, null);
        h.apply(snapshot(service(backend("east-a", "us-east/zone1/sub1", 0), backend("east-b", "us-east/zone1/sub2", 0),
                        backend("west", "us-west/zone3/sub1", 0), backend("eu", "eu-central/zone1/sub1", 0)),
                rule("default", "dist", "svc.test", policy(LoadBalancerSettings.SimpleLB.LEAST_REQUEST, distribute,
                        null))));
        h.route(dest("svc.test"), null, RetryPolicy.NONE);
        int n = 1000;
        Map<String, Integer> counts = send(n);
        int east = counts.getOrDefault("east-a", 0) + counts.getOrDefault("east-b", 0);
        int west = counts.getOrDefault("west", 0);
        assertEquals(n, east + west, "a locality distribute does not list gets nothing: " + counts);
        assertTrue(east / (double) n > 0.75 && east / (double) n < 0.85, "~80% to us-east/zone1: " + counts);
        assertTrue(counts.getOrDefault("east-a", 0) > 300 && counts.getOrDefault("east-b", 0) > 300,
                "the 80 is shared by both zone1 subzones: " + counts);
        assertEquals(3, cluster().hosts().size(), "the unlisted locality is not in the cluster, as in Istio");
    }

    @Test
    void endpointNetworkAndLocalityBecomeTopologyLabels() {
        h.apply(snapshot(service(backend("local", "us-east/zone1/sub1", 0))));
        Host host = cluster().hosts().get(0);
        assertEquals("us-east", host.labels().get(Locality.REGION_LABEL));
        assertEquals("zone1", host.labels().get(Locality.ZONE_LABEL));
        assertEquals("sub1", host.labels().get(Locality.SUBZONE_LABEL));
        assertEquals("net-1", host.labels().get(Locality.NETWORK_LABEL));
    }

    @Test
    void failoverPriorityPrefersTheGatewaysNetworkLabel() {
        // the gateway says which network it is on through its labels; endpoints carry theirs from `network`
        Harness onNet2 = new Harness(new UpstreamOptions("istio-system", "istio-system", ForwardOptions.DEFAULT)
                .withLocality(new ProxyLocality(Locality.NONE, Map.of(Locality.NETWORK_LABEL, "net-2"))));
        try {
            HttpClient c2 = onNet2.client();
            List<WorkloadEntry> eps = new ArrayList<>();
            AtomicBoolean net2Failing = new AtomicBoolean();
            for (String[] b : new String[][] {{"a", "net-1"}, {"b", "net-2"}, {"c", "net-1"}}) {
                int p = onNet2.backend(r -> r.response()
                        .setStatusCode(b[1].equals("net-2") && net2Failing.get() ? 503 : 200).end(b[0]));
                eps.add(new WorkloadEntry("127.0.0.1", Map.of("http", p), Map.of("name", b[0]), b[1], null, 0, null));
            }
            onNet2.apply(snapshot(service(eps.toArray(new WorkloadEntry[0])), rule("default", "fp", "svc.test",
                    policy(LoadBalancerSettings.SimpleLB.ROUND_ROBIN, new LocalityLoadBalancerSetting(null, null,
                            List.of(Locality.NETWORK_LABEL), null), ejectOnFirst503()))));
            onNet2.route(dest("svc.test"), null, RetryPolicy.NONE);
            java.util.function.Supplier<Reply> get = () -> await(onNet2.onLoop(() -> c2.request(new RequestOptions()
                    .setURI("/")).compose(req -> req.send())
                    .compose(resp -> resp.body().map(body -> new Reply(resp.statusCode(), body.toString())))));
            for (int i = 0; i < 10; i++) {
                assertEquals(new Reply(200, "b"), get.get(), "the endpoint on the gateway's network is P0");
            }
            net2Failing.set(true);
            assertEquals(503, get.get().status());
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (int i = 0; i < 10; i++) {
                counts.merge(get.get().body(), 1, Integer::sum);
            }
            assertEquals(Map.of("a", 5, "c", 5), counts, "b ejected: the other network's endpoints take over");
        } finally {
            onNet2.close();
        }
    }

    @Test
    void theRuntimeGivesTheUpstreamSideTheGatewaysLocality() {
        var snapshot = snapshot(service(backend("local", "us-east/zone1/sub1", 0), backend("west", "us-west/z/s", 0)),
                rule("default", "od", "svc.test", policy(LoadBalancerSettings.SimpleLB.ROUND_ROBIN, null,
                        ejectOnFirst503())));
        for (String locality : new String[] {"us-east/zone1/sub1", ""}) {
            dev.meshgate.gateway.runtime.GatewayRuntime rt = dev.meshgate.gateway.runtime.GatewayRuntime.create(h.vertx,
                    dev.meshgate.gateway.runtime.GatewayOptions.defaults().withLocality(locality));
            UpstreamManager upstream = (UpstreamManager) rt.forwarder();
            try {
                upstream.apply(snapshot);
                Cluster c = upstream.clusters().find(new ClusterKey("svc.test", "", 80));
                assertEquals(!locality.isEmpty(), c.loadBalancer() instanceof PriorityLb, "--locality '" + locality + "'");
            } finally {
                await(upstream.close());
            }
        }
    }
}

package dev.meshgate.config.source.kubernetes;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.ResourceKey;
import dev.meshgate.config.model.networking.DestinationRule;
import dev.meshgate.config.model.networking.ServiceEntry;
import dev.meshgate.config.model.networking.VirtualService;
import dev.meshgate.config.model.networking.WorkloadEntry;
import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.config.snapshot.SnapshotBuilder;
import dev.meshgate.config.snapshot.SnapshotPublisher;
import dev.meshgate.config.source.file.FileParser;
import dev.meshgate.config.validation.ConfigValidator;
import dev.meshgate.config.yaml.ResourceLoader;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.meshgate.config.source.kubernetes.KubeObjects.ep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class KubernetesConfigSourceTest {

    static final String GATEWAY = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: bookinfo-gateway, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 8080, name: http, protocol: HTTP}
                hosts: ["*"]
            """;
    static final String VS = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: default}
            spec:
              hosts: ["*"]
              gateways: [bookinfo-gateway]
              http:
              - route:
                - destination: {host: reviews, subset: %s}
            """;
    static final String DR = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews, namespace: default}
            spec:
              host: reviews
              subsets:
              - {name: v1, labels: {version: v1}}
              - {name: v2, labels: {version: v2}}
            """;

    MockApiServer api;
    SnapshotPublisher publisher;
    KubernetesConfigSource source;
    final List<ConfigSnapshot> published = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        api = new MockApiServer();
        api.installChartCrds();
        publisher = new SnapshotPublisher();
        publisher.subscribe((current, previous) -> published.add(current));
    }

    @AfterEach
    void tearDown() {
        if (source != null) {
            source.close();
        }
        api.close();
    }

    KubernetesConfigSource source(KubernetesSourceOptions options) {
        source = new KubernetesConfigSource(api.client, options.withCoalesce(Duration.ofMillis(20)),
                FileParser.of(new ResourceLoader()), new SnapshotBuilder(new ConfigValidator()), publisher);
        return source;
    }

    void bookinfo() {
        api.apply(GATEWAY);
        api.apply(VS.formatted("v1"));
        api.apply(DR);
        api.client.pods().resource(KubeObjects.pod("default", "reviews-v1-a", Map.of("app", "reviews",
                "version", "v1"))).create();
        api.client.pods().resource(KubeObjects.pod("default", "reviews-v2-a", Map.of("app", "reviews",
                "version", "v2"))).create();
        api.client.services().resource(KubeObjects.service("default", "reviews", Map.of("app", "reviews"))).create();
        api.client.discovery().v1().endpointSlices().resource(KubeObjects.slice("default", "reviews-abc", "reviews",
                9080, ep("10.0.0.1", "reviews-v1-a", true), ep("10.0.0.2", "reviews-v2-a", true))).create();
    }

    @Test
    void publishesIstioResourcesAndServicesAsServiceEntriesThenFollowsChanges() throws Exception {
        bookinfo();
        ConfigSnapshot first = await(source(KubernetesSourceOptions.defaults()).start());

        assertTrue(has(first, Kind.GATEWAY, "default", "bookinfo-gateway"));
        assertTrue(has(first, Kind.DESTINATION_RULE, "default", "reviews"));
        Resource<VirtualService> vs = find(first, Kind.VIRTUAL_SERVICE, "default", "reviews").orElseThrow()
                .as(VirtualService.class);
        assertEquals("v1", vs.spec().http().get(0).route().get(0).destination().subset());
        assertEquals("kubernetes:VirtualService/default/reviews", vs.source().file());
        assertEquals("v1", source.servedVersions().get(Kind.VIRTUAL_SERVICE));

        Resource<ServiceEntry> se = serviceEntry(first, "reviews.default.svc.cluster.local");
        assertEquals("kubernetes:Service/default/reviews", se.source().file());
        assertEquals(ServiceEntry.Resolution.STATIC, se.spec().resolution());
        assertEquals(ServiceEntry.Location.MESH_INTERNAL, se.spec().location());
        assertEquals(List.of("reviews.default.svc.cluster.local"), se.spec().hosts());
        assertEquals(9080, se.spec().ports().get(0).number());
        assertEquals("http", se.spec().ports().get(0).name());
        assertEquals(dev.meshgate.config.model.networking.Protocol.HTTP, se.spec().ports().get(0).protocol());
        assertEquals(Map.of("10.0.0.1", "v1", "10.0.0.2", "v2"), versionsByAddress(se));
        assertEquals(Map.of("http", 9080), se.spec().endpoints().get(0).ports());
        assertTrue(source.synced());

        // update a VirtualService
        api.apply(VS.formatted("v2"));
        ConfigSnapshot s = awaitSnapshot(c -> find(c, Kind.VIRTUAL_SERVICE, "default", "reviews")
                .map(r -> r.as(VirtualService.class).spec().http().get(0).route().get(0).destination().subset())
                .filter("v2"::equals).isPresent());
        assertTrue(has(s, Kind.GATEWAY, "default", "bookinfo-gateway"));

        // a new pod, ready, in the slice
        api.client.pods().resource(KubeObjects.pod("default", "reviews-v2-b", Map.of("app", "reviews",
                "version", "v2"))).create();
        api.client.discovery().v1().endpointSlices().resource(KubeObjects.slice("default", "reviews-abc", "reviews",
                9080, ep("10.0.0.1", "reviews-v1-a", true), ep("10.0.0.2", "reviews-v2-a", true),
                ep("10.0.0.3", "reviews-v2-b", true))).update();
        awaitSnapshot(c -> versionsByAddress(serviceEntry(c, "reviews.default.svc.cluster.local"))
                .equals(Map.of("10.0.0.1", "v1", "10.0.0.2", "v2", "10.0.0.3", "v2")));

        // a pod going unready leaves the endpoints
        api.client.discovery().v1().endpointSlices().resource(KubeObjects.slice("default", "reviews-abc", "reviews",
                9080, ep("10.0.0.1", "reviews-v1-a", false), ep("10.0.0.2", "reviews-v2-a", true),
                ep("10.0.0.3", "reviews-v2-b", true))).update();
        awaitSnapshot(c -> versionsByAddress(serviceEntry(c, "reviews.default.svc.cluster.local"))
                .equals(Map.of("10.0.0.2", "v2", "10.0.0.3", "v2")));

        // relabelled pod: the endpoint's labels follow, so subsets follow
        api.client.pods().resource(KubeObjects.pod("default", "reviews-v2-b", Map.of("app", "reviews",
                "version", "v3"))).update();
        awaitSnapshot(c -> versionsByAddress(serviceEntry(c, "reviews.default.svc.cluster.local"))
                .equals(Map.of("10.0.0.2", "v2", "10.0.0.3", "v3")));

        // deletes
        api.delete("networking.istio.io/v1", "DestinationRule", "default", "reviews");
        awaitSnapshot(c -> !has(c, Kind.DESTINATION_RULE, "default", "reviews"));
        api.client.services().inNamespace("default").withName("reviews").delete();
        ConfigSnapshot last = awaitSnapshot(c -> c.all(ServiceEntry.class).isEmpty());
        assertTrue(has(last, Kind.VIRTUAL_SERVICE, "default", "reviews"));
        assertTrue(has(last, Kind.GATEWAY, "default", "bookinfo-gateway"));

        long versions = published.stream().map(ConfigSnapshot::version).distinct().count();
        assertEquals(published.size(), versions, "every published snapshot is a new version");

        source.close(); // and again in tearDown: closing is idempotent
        assertFalse(source.synced());
        assertEquals(last, publisher.current(), "closing keeps the last snapshot");
    }

    @Test
    void watchDroppedWith410AndApiServerRestartNeverPublishesAnEmptyOrPartialConfig() throws Exception {
        bookinfo();
        ConfigSnapshot first = await(source(KubernetesSourceOptions.defaults()).start());
        int full = first.resources().size();
        assertEquals(4, full, "Gateway, VirtualService, DestinationRule, ServiceEntry");

        // every watch is answered 410 Gone from now on, and the running watches break with the restart:
        // informers must go through a full re-list, repeatedly
        api.dispatcher.gone = true;
        api.restart();
        boundedWait(() -> api.dispatcher.goneAnswers.get() >= 6, "informers re-watching and getting 410");

        // changes while watches keep failing: only re-lists can see them
        api.apply(VS.formatted("v2"));
        api.client.discovery().v1().endpointSlices().resource(KubeObjects.slice("default", "reviews-abc", "reviews",
                9080, ep("10.0.0.2", "reviews-v2-a", true))).update();
        awaitSnapshot(c -> find(c, Kind.VIRTUAL_SERVICE, "default", "reviews")
                .map(r -> r.as(VirtualService.class).spec().http().get(0).route().get(0).destination().subset())
                .filter("v2"::equals).isPresent()
                && versionsByAddress(serviceEntry(c, "reviews.default.svc.cluster.local"))
                .equals(Map.of("10.0.0.2", "v2")));

        // watches work again: a change arrives through them (once they are open: the mock, unlike an API server,
        // does not replay events from the watch's resource version, so a delete before that would be missed)
        api.dispatcher.gone = false;
        boundedWait(source::watching, "every watch re-established");
        api.delete("networking.istio.io/v1", "DestinationRule", "default", "reviews");
        ConfigSnapshot last = awaitSnapshot(c -> !has(c, Kind.DESTINATION_RULE, "default", "reviews"));
        assertEquals(3, last.resources().size());

        for (ConfigSnapshot s : published.subList(0, published.size() - 1)) {
            assertEquals(full, s.resources().size(), "snapshot " + s.version() + " is partial: " + s.resources());
            assertTrue(has(s, Kind.GATEWAY, "default", "bookinfo-gateway"));
            assertTrue(has(s, Kind.VIRTUAL_SERVICE, "default", "reviews"));
            assertTrue(has(s, Kind.DESTINATION_RULE, "default", "reviews"));
            assertFalse(serviceEntry(s, "reviews.default.svc.cluster.local").spec().endpoints().isEmpty());
        }
        assertTrue(source.synced());
    }

    @Test
    void anInvalidObjectIsLeftOutAndReportedWhileTheRestServes() throws Exception {
        bookinfo();
        api.apply("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: broken, namespace: default}
                spec:
                  hosts: ["broken.example.com"]
                  http:
                  - route:
                    - destination: {host: reviews}
                      weight: -5
                """);
        ConfigSnapshot first = await(source(KubernetesSourceOptions.defaults()).start());
        assertTrue(has(first, Kind.VIRTUAL_SERVICE, "default", "reviews"));
        assertFalse(has(first, Kind.VIRTUAL_SERVICE, "default", "broken"));
        assertTrue(publisher.status().failing());
        List<Diagnostic> errors = publisher.status().lastErrors().stream().filter(Diagnostic::isError).toList();
        assertFalse(errors.isEmpty());
        assertEquals("kubernetes:VirtualService/default/broken", errors.get(0).file(), errors.toString());

        // fixed: it joins, and the status is healthy again
        api.apply("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: broken, namespace: default}
                spec:
                  hosts: ["broken.example.com"]
                  http:
                  - route:
                    - destination: {host: reviews}
                """);
        awaitSnapshot(c -> has(c, Kind.VIRTUAL_SERVICE, "default", "broken"));
        assertFalse(publisher.status().failing());
    }

    @Test
    void statusWritingShowsWhyAnObjectWasLeftOut() throws Exception {
        bookinfo();
        api.apply(BROKEN);
        await(source(KubernetesSourceOptions.defaults().withWriteStatus(true)).start());
        var vs = api.client.genericKubernetesResources(MockApiServer.context("networking.istio.io", "v1",
                "VirtualService", "virtualservices")).inNamespace("default");
        boundedWait(() -> messages(vs.withName("broken").get()).stream()
                .anyMatch(m -> "ERROR".equals(m.get("level")) && String.valueOf(m.get("message")).contains("weight")),
                "an ERROR validation message on the broken VirtualService");
        Map<?, ?> first = messages(vs.withName("broken").get()).get(0);
        assertEquals("MG0001", ((Map<?, ?>) first.get("type")).get("code"));
        assertTrue(messages(vs.withName("reviews").get()).stream().noneMatch(m -> "ERROR".equals(m.get("level"))));

        api.apply(BROKEN.replace("      weight: -5\n", ""));
        boundedWait(() -> messages(vs.withName("broken").get()).stream()
                .noneMatch(m -> "ERROR".equals(m.get("level"))), "the error cleared once fixed");
        awaitSnapshot(c -> has(c, Kind.VIRTUAL_SERVICE, "default", "broken"));
    }

    static final String BROKEN = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: broken, namespace: default}
            spec:
              hosts: ["broken.example.com"]
              http:
              - route:
                - destination: {host: reviews}
                  weight: -5
            """;

    @SuppressWarnings("unchecked")
    static List<Map<?, ?>> messages(io.fabric8.kubernetes.api.model.GenericKubernetesResource o) {
        Object status = o.getAdditionalProperties().get("status");
        Object list = status instanceof Map<?, ?> m ? m.get("validationMessages") : null;
        return list instanceof List<?> l ? (List<Map<?, ?>>) l : List.of();
    }

    @Test
    void namespacesLimitWhatIsWatched() throws Exception {
        bookinfo();
        api.apply("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: other, namespace: team-b}
                spec:
                  hosts: ["other.example.com"]
                  http:
                  - route:
                    - destination: {host: other}
                """);
        api.client.services().resource(KubeObjects.service("team-b", "other", Map.of("app", "other"))).create();
        ConfigSnapshot first = await(source(KubernetesSourceOptions.defaults().withNamespaces(List.of("default")))
                .start());
        assertTrue(has(first, Kind.VIRTUAL_SERVICE, "default", "reviews"));
        assertFalse(has(first, Kind.VIRTUAL_SERVICE, "team-b", "other"));
        assertTrue(first.all(ServiceEntry.class).stream().noneMatch(r -> r.namespace().equals("team-b")));
        assertEquals(1, first.all(ServiceEntry.class).size());
    }

    @Test
    void theServedVersionIsDiscoveredAndUnservedKindsAreSkipped() throws Exception {
        try (MockApiServer older = new MockApiServer()) {
            // an older Istio: VirtualService stored and served as v1beta1 only, no other Istio CRD
            older.client.apiextensions().v1().customResourceDefinitions().resource(
                    older.client.getKubernetesSerialization().unmarshal("""
                            apiVersion: apiextensions.k8s.io/v1
                            kind: CustomResourceDefinition
                            metadata: {name: virtualservices.networking.istio.io}
                            spec:
                              group: networking.istio.io
                              names: {kind: VirtualService, plural: virtualservices}
                              scope: Namespaced
                              versions:
                              - name: v1beta1
                                served: true
                                storage: true
                                schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                            """, io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class))
                    .create();
            older.apply(VS.formatted("v1").replace("networking.istio.io/v1", "networking.istio.io/v1beta1"));
            SnapshotPublisher p = new SnapshotPublisher();
            try (KubernetesConfigSource s = new KubernetesConfigSource(older.client,
                    KubernetesSourceOptions.defaults().withServiceRegistry(false),
                    FileParser.of(new ResourceLoader()), new SnapshotBuilder(new ConfigValidator()), p)) {
                ConfigSnapshot first = await(s.start());
                assertEquals(Map.of(Kind.VIRTUAL_SERVICE, "v1beta1"), s.servedVersions());
                Resource<?> vs = find(first, Kind.VIRTUAL_SERVICE, "default", "reviews").orElseThrow();
                assertEquals("networking.istio.io/v1beta1", vs.apiVersion());
                assertEquals(1, first.resources().size());
            }
        }
    }

    @Test
    void startFailsClearlyWhenTheApiServerIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        try (KubernetesClient dead = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + port).withRequestRetryBackoffLimit(0).build()).build();
             KubernetesConfigSource s = new KubernetesConfigSource(dead, KubernetesSourceOptions.defaults(),
                     FileParser.of(new ResourceLoader()), new SnapshotBuilder(new ConfigValidator()),
                     new SnapshotPublisher())) {
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> s.start().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("127.0.0.1:" + port), e.getCause().getMessage());
        }
    }

    // --- helpers

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Bounded poll on the publisher until the current snapshot satisfies {@code p}. */
    ConfigSnapshot awaitSnapshot(Predicate<ConfigSnapshot> p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            ConfigSnapshot c = publisher.current();
            if (safeTest(p, c)) {
                return c;
            }
            Thread.sleep(10); // polling interval of a bounded wait, not a stand-in for synchronisation
        }
        fail("no matching snapshot; current: " + publisher.current().resources());
        return null;
    }

    static void boundedWait(java.util.function.BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private static boolean safeTest(Predicate<ConfigSnapshot> p, ConfigSnapshot c) {
        try {
            return p.test(c);
        } catch (RuntimeException e) {
            return false;
        }
    }

    static Optional<Resource<?>> find(ConfigSnapshot s, Kind kind, String ns, String name) {
        ResourceKey key = new ResourceKey(kind, ns, name);
        return s.resources().stream().filter(r -> r.key().equals(key)).findFirst();
    }

    static boolean has(ConfigSnapshot s, Kind kind, String ns, String name) {
        return find(s, kind, ns, name).isPresent();
    }

    static Resource<ServiceEntry> serviceEntry(ConfigSnapshot s, String host) {
        return s.all(ServiceEntry.class).stream().filter(r -> r.spec().hosts().contains(host)).findFirst()
                .orElseThrow(() -> new AssertionError("no ServiceEntry for " + host));
    }

    static Map<String, String> versionsByAddress(Resource<ServiceEntry> se) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (WorkloadEntry we : se.spec().endpoints()) {
            out.put(we.address(), we.labels().get("version"));
        }
        return out;
    }

    @SuppressWarnings("unused")
    private static final EnumSet<Kind> ALL = EnumSet.allOf(Kind.class);
    @SuppressWarnings("unused")
    private static final Class<?> DR_TYPE = DestinationRule.class;
}

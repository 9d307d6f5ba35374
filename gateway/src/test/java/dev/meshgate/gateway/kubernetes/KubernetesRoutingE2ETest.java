package dev.meshgate.gateway.kubernetes;

import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.config.snapshot.SnapshotBuilder;
import dev.meshgate.config.snapshot.SnapshotPublisher;
import dev.meshgate.config.source.file.FileParser;
import dev.meshgate.config.source.kubernetes.KubernetesConfigSource;
import dev.meshgate.config.source.kubernetes.KubernetesSourceOptions;
import dev.meshgate.config.source.kubernetes.ServiceRegistryTranslator;
import dev.meshgate.config.validation.ConfigValidator;
import dev.meshgate.config.yaml.ResourceLoader;
import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.testing.Backends;
import dev.meshgate.gateway.testing.GatewayHarness;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 8's first test: Istio resources, a Service and its EndpointSlices applied through a (mock) Kubernetes
 * API server on 127.0.0.1 drive the real gateway runtime, checked with real HTTP requests to real backends.
 * Subsets select the backends by their Pods' labels, through the synthetic ServiceEntry.
 */
class KubernetesRoutingE2ETest {

    static final Path CRDS = Path.of("..", "helm", "meshgate", "files", "istio-crds.yaml");

    KubernetesMockServer server;
    KubernetesClient client;
    Vertx vertx;
    Backends backends;
    GatewayHarness gw;
    KubernetesConfigSource source;

    @BeforeEach
    void setUp() throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        NamespacedKubernetesClient seed = server.createClient();
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(seed.getConfiguration())
                .withMasterUrl("http://127.0.0.1:" + server.getPort()).build()).build();
        seed.close();
        for (HasMetadata crd : client.load(new ByteArrayInputStream(Files.readAllBytes(CRDS))).items()) {
            client.resource(crd).create();
        }
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        backends = new Backends(vertx);
        GatewayOptions opts = GatewayHarness.testOptions();
        gw = GatewayHarness.withRuntime(vertx, GatewayRuntime.create(vertx, opts), opts);
    }

    @AfterEach
    void tearDown() {
        if (source != null) {
            source.close();
        }
        gw.close();
        client.close();
        server.destroy();
    }

    @Test
    void routesFollowTheApiServer() throws Exception {
        int v1 = backends.start("reviews", "v1");
        int v2 = backends.start("reviews", "v2");
        apply("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*"]
                """);
        apply(vs("v1"));
        apply("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews, namespace: default}
                spec:
                  host: reviews
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                """);
        client.pods().resource(pod("reviews-v1-abc", "v1")).create();
        client.pods().resource(pod("reviews-v2-def", "v2")).create();
        client.services().resource(new ServiceBuilder().withNewMetadata().withNamespace("default")
                .withName("reviews").endMetadata().withNewSpec().withSelector(Map.of("app", "reviews"))
                .withPorts(new ServicePortBuilder().withName("http").withPort(9080)
                        .withTargetPort(new IntOrString("http")).build()).endSpec().build()).create();
        // both backends listen on 127.0.0.1, so each gets its own slice with its own port
        client.discovery().v1().endpointSlices().resource(slice("reviews-1", v1, "reviews-v1-abc")).create();
        client.discovery().v1().endpointSlices().resource(slice("reviews-2", v2, "reviews-v2-def")).create();

        SnapshotPublisher publisher = new SnapshotPublisher();
        publisher.subscribe((current, previous) -> gw.runtime.apply(current));
        source = new KubernetesConfigSource(client, KubernetesSourceOptions.defaults()
                .withCoalesce(Duration.ofMillis(20)), FileParser.of(new ResourceLoader()),
                new SnapshotBuilder(new ConfigValidator()), publisher);
        ConfigSnapshot first = GatewayHarness.await(source.start());
        GatewayHarness.await(gw.runtime.apply(first));

        assertEquals("reviews-v1", awaitBody(b -> b.equals("reviews-v1")));

        apply(vs("v2"));                                   // update a VirtualService
        assertEquals("reviews-v2", awaitBody(b -> b.equals("reviews-v2")));

        // the v2 Pod goes unready: its slice loses the endpoint, the subset has none, Istio answers 503
        client.discovery().v1().endpointSlices().resource(new EndpointSliceBuilder(slice("reviews-2", v2,
                "reviews-v2-def")).editEndpoint(0).editConditions().withReady(false).endConditions().endEndpoint()
                .build()).update();
        awaitStatus(503);

        // relabel the v1 Pod as v2: subset v2 selects it now
        client.pods().resource(pod("reviews-v1-abc", "v2")).update();
        assertEquals("reviews-v1", awaitBody(b -> b.equals("reviews-v1")));

        client.genericKubernetesResources(ctx("VirtualService", "virtualservices")).inNamespace("default")
                .withName("reviews").delete();
        awaitStatus(404);
    }

    static String vs(String subset) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews, namespace: default}
                spec:
                  hosts: [reviews.example.com]
                  gateways: [istio-system/gw]
                  http:
                  - route:
                    - destination: {host: reviews, subset: %s}
                """.formatted(subset);
    }

    void apply(String yaml) {
        GenericKubernetesResource o = client.getKubernetesSerialization().unmarshal(yaml,
                GenericKubernetesResource.class);
        String plural = dev.meshgate.config.model.Kind.byKindName(o.getKind()).orElseThrow().plural();
        String[] gv = o.getApiVersion().split("/");
        client.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup(gv[0])
                        .withVersion(gv[1]).withKind(o.getKind()).withPlural(plural).withNamespaced(true).build())
                .inNamespace(o.getMetadata().getNamespace()).resource(o).createOr(existing -> existing.update());
    }

    static ResourceDefinitionContext ctx(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("networking.istio.io").withVersion("v1")
                .withKind(kind).withPlural(plural).withNamespaced(true).build();
    }

    static io.fabric8.kubernetes.api.model.Pod pod(String name, String version) {
        return new PodBuilder().withNewMetadata().withNamespace("default").withName(name)
                .withLabels(Map.of("app", "reviews", "version", version)).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("reviews").endContainer().endSpec().build();
    }

    static EndpointSlice slice(String name, int port, String pod) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace("default").withName(name)
                .withLabels(Map.of(ServiceRegistryTranslator.SERVICE_NAME_LABEL, "reviews")).endMetadata()
                .withAddressType("IPv4")
                .withPorts(new EndpointPortBuilder().withName("http").withPort(port).build())
                .withEndpoints(new EndpointBuilder().withAddresses("127.0.0.1").withNewConditions().withReady(true)
                        .endConditions().withNewTargetRef().withKind("Pod").withNamespace("default").withName(pod)
                        .endTargetRef().build())
                .build();
    }

    /** Bounded polling with real requests until the body matches (config changes arrive asynchronously). */
    String awaitBody(Predicate<String> p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        GatewayHarness.Resp last = null;
        while (System.nanoTime() < deadline) {
            last = gw.get("reviews.example.com", "/reviews/1");
            if (last.status() == 200 && p.test(last.body())) {
                return last.body();
            }
            Thread.sleep(20);
        }
        fail("no matching response; last: " + (last == null ? null : last.status() + " " + last.body()));
        return null;
    }

    void awaitStatus(int status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = gw.get("reviews.example.com", "/reviews/1").status();
            if (last == status) {
                return;
            }
            Thread.sleep(20);
        }
        fail("expected status " + status + ", last " + last);
    }
}

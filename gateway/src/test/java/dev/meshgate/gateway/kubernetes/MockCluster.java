package dev.meshgate.gateway.kubernetes;

import dev.meshgate.config.model.Kind;
import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.config.snapshot.SnapshotBuilder;
import dev.meshgate.config.snapshot.SnapshotPublisher;
import dev.meshgate.config.source.file.FileParser;
import dev.meshgate.config.source.kubernetes.KubernetesConfigSource;
import dev.meshgate.config.source.kubernetes.KubernetesSourceOptions;
import dev.meshgate.config.source.kubernetes.ServiceRegistryTranslator;
import dev.meshgate.config.validation.ConfigValidator;
import dev.meshgate.config.yaml.ResourceLoader;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.testing.GatewayHarness;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
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

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A mock Kubernetes API server (fabric8, CRUD mode, 127.0.0.1) with the chart's Istio CRDs, helpers to create
 * objects the way kubectl and the controllers would, and a {@link KubernetesConfigSource} feeding a gateway
 * runtime.
 */
final class MockCluster implements AutoCloseable {

    static final Path CRDS = Path.of("..", "helm", "meshgate", "files", "istio-crds.yaml");

    final KubernetesMockServer server;
    final KubernetesClient client;
    private KubernetesConfigSource source;

    MockCluster() {
        try {
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the source; every snapshot goes to {@code runtime}. Returns once the first one is applied. */
    void follow(GatewayRuntime runtime) {
        SnapshotPublisher publisher = new SnapshotPublisher();
        publisher.subscribe((current, previous) -> runtime.apply(current));
        source = new KubernetesConfigSource(client, KubernetesSourceOptions.defaults()
                .withCoalesce(Duration.ofMillis(20)), FileParser.of(new ResourceLoader()),
                new SnapshotBuilder(new ConfigValidator()), publisher);
        ConfigSnapshot first = GatewayHarness.await(source.start());
        GatewayHarness.await(runtime.apply(first));
    }

    /**
     * kubectl apply of Istio YAML (one or more documents; namespace "default" when none is given; any served
     * version, read back as v1).
     */
    void apply(String yaml) {
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.lines().noneMatch(l -> l.startsWith("kind:"))) {
                continue;
            }
            GenericKubernetesResource o = client.getKubernetesSerialization().unmarshal(doc,
                    GenericKubernetesResource.class);
            String ns = o.getMetadata().getNamespace() == null ? "default" : o.getMetadata().getNamespace();
            o.getMetadata().setNamespace(ns);
            // A real API server serves every object at every served version of its CRD; the mock stores each
            // under the version it was written with. Write at the stored version (v1), as conversion would.
            o.setApiVersion(o.getApiVersion().substring(0, o.getApiVersion().indexOf('/')) + "/v1");
            client.genericKubernetesResources(context(o.getApiVersion(), o.getKind())).inNamespace(ns).resource(o)
                    .createOr(existing -> existing.update());
        }
    }

    void delete(String apiVersion, String kind, String ns, String name) {
        client.genericKubernetesResources(context(apiVersion, kind)).inNamespace(ns).withName(name).delete();
    }

    static ResourceDefinitionContext context(String apiVersion, String kind) {
        String[] gv = apiVersion.split("/");
        return new ResourceDefinitionContext.Builder().withGroup(gv[0]).withVersion(gv[1]).withKind(kind)
                .withPlural(Kind.byKindName(kind).orElseThrow().plural()).withNamespaced(true).build();
    }

    /** A ClusterIP Service {@code app} in default, port {@code http} {@code port} -> target port "http". */
    void service(String app, int port) {
        client.services().resource(new ServiceBuilder().withNewMetadata().withNamespace("default").withName(app)
                .endMetadata().withNewSpec().withSelector(Map.of("app", app))
                .withPorts(new ServicePortBuilder().withName("http").withPort(port)
                        .withTargetPort(new IntOrString("http")).build()).endSpec().build()).create();
    }

    /**
     * A Pod {@code <app>-<version>} labelled app/version and its own EndpointSlice of Service {@code app}: the
     * address is 127.0.0.1 (the in-process backend), the port the backend's.
     */
    void workload(String app, String version, int backendPort) {
        client.pods().resource(pod(app + "-" + version, app, version)).create();
        client.discovery().v1().endpointSlices().resource(slice(app, version, backendPort, true)).create();
    }

    static Pod pod(String name, String app, String version) {
        return new PodBuilder().withNewMetadata().withNamespace("default").withName(name)
                .withLabels(Map.of("app", app, "version", version)).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(app).endContainer().endSpec().build();
    }

    static EndpointSlice slice(String app, String version, int port, boolean ready) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace("default")
                .withName(app + "-" + version).withLabels(Map.of(ServiceRegistryTranslator.SERVICE_NAME_LABEL, app))
                .endMetadata().withAddressType("IPv4")
                .withPorts(new EndpointPortBuilder().withName("http").withPort(port).build())
                .withEndpoints(new EndpointBuilder().withAddresses("127.0.0.1").withNewConditions().withReady(ready)
                        .endConditions().withNewTargetRef().withKind("Pod").withNamespace("default")
                        .withName(app + "-" + version).endTargetRef().build())
                .build();
    }

    @Override
    public void close() {
        if (source != null) {
            source.close();
        }
        client.close();
        try {
            server.destroy();
        } catch (RuntimeException e) {
            // the mock's bounded wait for connections to drain; teardown of a fixture, not a finding
            System.err.println("mock API server shutdown: " + e);
        }
    }
}

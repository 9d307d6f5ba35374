package dev.meshgate.config.source.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * fabric8's Kubernetes mock server in CRUD mode on 127.0.0.1, restartable on the same port with the same stored
 * objects (an API-server restart), and able to answer watches with 410 Gone (an expired resource version) so
 * that informers must re-list.
 */
final class MockApiServer implements AutoCloseable {

    /** The chart's CRD file, also what the tests install so discovery finds the Istio kinds. */
    static final Path CHART_CRDS = Path.of("..", "helm", "meshgate", "files", "istio-crds.yaml");

    final GoneDispatcher dispatcher = new GoneDispatcher();
    private KubernetesMockServer server;
    private int port;
    final KubernetesClient client;

    MockApiServer() {
        server = newServer();
        server.init(loopback(), 0);
        port = server.getPort();
        NamespacedKubernetesClient seed = server.createClient();
        Config config = new ConfigBuilder(seed.getConfiguration())
                .withWatchReconnectInterval(50)
                .withRequestRetryBackoffLimit(0)
                .withMasterUrl("http://127.0.0.1:" + port)
                .withNamespace("default")
                .build();
        seed.close();
        client = new KubernetesClientBuilder().withConfig(config).build();
    }

    private KubernetesMockServer newServer() {
        return new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    }

    /** Stops the server (open watches break) and starts a new one on the same port with the same objects. */
    void restart() {
        server.destroy();
        server = newServer();
        server.init(loopback(), port);
    }

    void installChartCrds() {
        try {
            String text = Files.readString(CHART_CRDS);
            for (HasMetadata crd : client.load(new java.io.ByteArrayInputStream(text.getBytes())).items()) {
                client.resource(crd).create();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ResourceDefinitionContext context(String group, String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }

    /** Creates or replaces an Istio object given as YAML. */
    GenericKubernetesResource apply(String yaml) {
        GenericKubernetesResource o = client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
        return client.genericKubernetesResources(contextOf(o)).inNamespace(o.getMetadata().getNamespace())
                .resource(o).createOr(existing -> existing.update());
    }

    void delete(String apiVersion, String kind, String namespace, String name) {
        GenericKubernetesResource o = new GenericKubernetesResource();
        o.setApiVersion(apiVersion);
        o.setKind(kind);
        client.genericKubernetesResources(contextOf(o)).inNamespace(namespace).withName(name).delete();
    }

    private static ResourceDefinitionContext contextOf(GenericKubernetesResource o) {
        String[] gv = o.getApiVersion().split("/");
        String plural = dev.meshgate.config.model.Kind.byKindName(o.getKind()).orElseThrow().plural();
        return context(gv[0], gv[1], o.getKind(), plural);
    }

    @Override
    public void close() {
        client.close();
        destroyQuietly(server);
    }

    /**
     * The mock's shutdown waits (bounded) for connections to drain; a watch socket whose close is still in flight
     * on a loaded machine can outlast it. That is teardown of a test fixture, not a finding: report, go on.
     */
    static void destroyQuietly(KubernetesMockServer s) {
        try {
            s.destroy();
        } catch (RuntimeException e) {
            System.err.println("mock API server shutdown: " + e);
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByName("127.0.0.1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CRUD, plus: while {@link #gone} is set, every watch is refused with 410 Gone. */
    static final class GoneDispatcher extends KubernetesCrudDispatcher {
        volatile boolean gone;
        final AtomicInteger goneAnswers = new AtomicInteger();

        GoneDispatcher() {
            super(List.of());
        }

        @Override
        public MockResponse handleWatch(String path) {
            if (gone) {
                // what an API server does when the watch's resource version is compacted away: accept the
                // watch, send an ERROR event with a 410 Status, close
                goneAnswers.incrementAndGet();
                return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket ws, Response response) {
                        ws.send("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                                + "\"status\":\"Failure\",\"reason\":\"Expired\",\"code\":410,"
                                + "\"message\":\"too old resource version\"}}");
                        ws.close(1000, "");
                    }
                });
            }
            return super.handleWatch(path);
        }
    }
}

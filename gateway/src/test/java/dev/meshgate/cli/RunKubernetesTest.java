package dev.meshgate.cli;

import dev.meshgate.config.model.Kind;
import dev.meshgate.config.snapshot.ConfigSnapshot;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code meshgate run --kubernetes} against fabric8's mock API server on 127.0.0.1. fabric8 finds the API server
 * the way it does in production, from configuration: here the {@code kubernetes.master} system property (with
 * kubeconfig and service-account lookup off), in a Pod the service account, elsewhere the kubeconfig.
 */
class RunKubernetesTest {

    static final Path CRDS = Path.of("..", "helm", "meshgate", "files", "istio-crds.yaml");
    static final List<String> PROPS = List.of("kubernetes.master", "kubernetes.auth.tryKubeConfig",
            "kubernetes.auth.tryServiceAccount", "kubernetes.request.retry.backoffLimit");

    KubernetesMockServer server;
    final Map<String, String> saved = new HashMap<>();

    record Result(int exit, String out, String err) {
    }

    @BeforeEach
    void setUp() throws Exception {
        for (String p : PROPS) {
            saved.put(p, System.getProperty(p));
        }
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        System.setProperty("kubernetes.request.retry.backoffLimit", "0");
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        System.setProperty("kubernetes.master", "http://127.0.0.1:" + server.getPort());
    }

    @AfterEach
    void tearDown() {
        server.destroy();
        saved.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }

    static Result run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void runServesWhatTheApiServerHolds() throws Exception {
        try (KubernetesClient client = server.createClient()) {
            for (HasMetadata crd : client.load(new ByteArrayInputStream(Files.readAllBytes(CRDS))).items()) {
                client.resource(crd).create();
            }
            GenericKubernetesResource vs = client.getKubernetesSerialization().unmarshal("""
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: {name: reviews, namespace: default}
                    spec:
                      hosts: [reviews.example.com]
                      http:
                      - route:
                        - destination: {host: reviews}
                    """, GenericKubernetesResource.class);
            client.genericKubernetesResources(new ResourceDefinitionContext.Builder()
                    .withGroup("networking.istio.io").withVersion("v1").withKind("VirtualService")
                    .withPlural("virtualservices").withNamespaced(true).build())
                    .inNamespace("default").resource(vs).create();
        }
        CommandLine cl = Main.commandLine();
        RunCommand cmd = cl.getSubcommands().get("run").getCommand();
        CompletableFuture<Result> running = CompletableFuture.supplyAsync(() -> run(cl, "run", "--kubernetes",
                "--kubernetes-service-registry=false", "--bind", "127.0.0.1", "--port-map", "80=0",
                "--admin-port", "0", "--stats-port", "0", "--health-port", "0", "--probe-bind", "127.0.0.1"));
        ConfigSnapshot first = cmd.ready().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(1, first.resources().size());
        assertEquals(Kind.VIRTUAL_SERVICE, first.resources().get(0).kind());
        assertEquals("kubernetes:VirtualService/default/reviews", first.resources().get(0).source().file());
        assertFalse(running.isDone());
        cmd.stop();
        assertEquals(0, running.get(30, TimeUnit.SECONDS).exit());
    }

    @Test
    void anUnreachableApiServerIsAClearError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        System.setProperty("kubernetes.master", "http://127.0.0.1:" + port);
        Result r = run(Main.commandLine(), "run", "--kubernetes", "--bind", "127.0.0.1", "--port-map", "80=0",
                "--admin-port", "0", "--stats-port", "0", "--health-port", "0", "--probe-bind", "127.0.0.1");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("cannot read the Kubernetes API at http://127.0.0.1:" + port), r.err());
    }

    @Test
    void aSourceIsRequiredAndOnlyOne() {
        Result none = run(Main.commandLine(), "run");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("--config or --kubernetes is required"), none.err());
        Result both = run(Main.commandLine(), "run", "--kubernetes", "--config", ".");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("cannot be combined"), both.err());
    }
}

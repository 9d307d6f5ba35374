package dev.meshgate.gateway.upstream;

import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.ObjectMeta;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.networking.Protocol;
import dev.meshgate.config.model.networking.ServiceEntry;
import dev.meshgate.config.model.networking.ServicePort;
import dev.meshgate.config.model.networking.WorkloadEntry;
import dev.meshgate.gateway.route.ClusterKey;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.ClusterTable;
import dev.meshgate.gateway.upstream.cluster.Host;
import dev.meshgate.gateway.upstream.registry.ClusterCompiler;
import dev.meshgate.gateway.upstream.registry.ServiceEntrySource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.meshgate.gateway.upstream.Fixtures.port;
import static dev.meshgate.gateway.upstream.Fixtures.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** ServiceEntry exportTo seen from a gateway in istio-system, and Istio's order among entries for one host. */
class ServiceEntryVisibilityTest {

    private final ClusterCompiler compiler = new ClusterCompiler(
            List.of(new ServiceEntrySource(null, "istio-system")), "istio-system", "istio-system");

    private static Resource<ServiceEntry> se(String ns, String name, Instant created, String host,
                                             List<String> exportTo, String address, ServicePort... ports) {
        ServiceEntry spec = new ServiceEntry(List.of(host), List.of(), List.of(ports),
                ServiceEntry.Location.MESH_EXTERNAL, ServiceEntry.Resolution.STATIC,
                List.of(new WorkloadEntry(address, Map.of(), Map.of(), null, null, 0, null)), null, exportTo,
                List.of());
        return new Resource<>("networking.istio.io/v1", Kind.SERVICE_ENTRY,
                new ObjectMeta(name, ns, Map.of(), Map.of(), created, null, null), spec, null);
    }

    private static Resource<ServiceEntry> se(String ns, String name, List<String> exportTo) {
        return se(ns, name, null, name + ".test", exportTo, "127.0.0.1", port(80, "http", Protocol.HTTP));
    }

    private ClusterTable compile(Resource<?>... resources) {
        return compiler.compile(snapshot(resources), ClusterTable.EMPTY);
    }

    private static String address(ClusterTable t, String host, int port) {
        Cluster c = t.find(new ClusterKey(host, "", port));
        return c == null ? null : c.hosts().stream().map(Host::address).findFirst().orElse("none");
    }

    @Test
    void exportToDecidesWhetherTheGatewayNamespaceSeesAnEntry() {
        ClusterTable t = compile(
                se("default", "unset", List.of()),
                se("default", "star", List.of("*")),
                se("default", "dot", List.of(".")),
                se("istio-system", "own-dot", List.of(".")),
                se("default", "named", List.of("other", "istio-system")),
                se("default", "elsewhere", List.of("other")),
                se("default", "none", List.of("~")));
        assertNotNull(address(t, "unset.test", 80), "no exportTo = exported everywhere");
        assertNotNull(address(t, "star.test", 80));
        assertNull(address(t, "dot.test", 80), "'.' in another namespace is invisible");
        assertNotNull(address(t, "own-dot.test", 80), "'.' in the gateway's namespace is visible");
        assertNotNull(address(t, "named.test", 80));
        assertNull(address(t, "elsewhere.test", 80));
        assertNull(address(t, "none.test", 80));
        assertEquals(false, t.knowsHost("dot.test"));
    }

    @Test
    void theOldestVisibleEntryForAHostWinsAndAnInvisibleOneDoesNotShadowIt() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        // the oldest entry is not exported to us: the next oldest visible one wins
        ClusterTable t = compile(
                se("team-a", "a", t0, "api.test", List.of("."), "10.0.0.1", port(80, "http", Protocol.HTTP)),
                se("team-c", "z", t0.plusSeconds(20), "api.test", List.of(), "10.0.0.3",
                        port(80, "http", Protocol.HTTP)),
                se("team-b", "b", t0.plusSeconds(10), "api.test", List.of(), "10.0.0.2",
                        port(80, "http", Protocol.HTTP)));
        assertEquals("10.0.0.2", address(t, "api.test", 80));
        // equal creation times: by name, then namespace
        t = compile(
                se("ns-b", "same", t0, "tie.test", List.of(), "10.0.1.2", port(80, "http", Protocol.HTTP)),
                se("ns-a", "same", t0, "tie.test", List.of(), "10.0.1.1", port(80, "http", Protocol.HTTP)),
                se("ns-0", "zz", t0, "tie.test", List.of(), "10.0.1.0", port(80, "http", Protocol.HTTP)));
        assertEquals("10.0.1.1", address(t, "tie.test", 80));
    }

    @Test
    void entriesOfOneNamespaceForOneHostMergeTheirPortsOthersDoNot() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        ClusterTable t = compile(
                se("default", "http", t0, "split.test", List.of(), "10.0.2.1", port(80, "http", Protocol.HTTP)),
                se("default", "https", t0.plusSeconds(1), "split.test", List.of(), "10.0.2.2",
                        port(443, "https", Protocol.HTTPS), port(80, "http-again", Protocol.HTTP)),
                se("other", "grpc", t0.plusSeconds(2), "split.test", List.of(), "10.0.2.3",
                        port(9000, "grpc", Protocol.GRPC)));
        assertEquals("10.0.2.1", address(t, "split.test", 80), "the first definition of a port wins");
        assertEquals("10.0.2.2", address(t, "split.test", 443), "a later entry of the namespace adds its port");
        assertNull(address(t, "split.test", 9000), "another namespace's entry for the host is ignored");
        assertNull(t.find(new ClusterKey("split.test", "", 0)), "two ports: no port-0 alias");
    }

    private static io.fabric8.kubernetes.api.model.Service service(String ns, String name, String exportTo) {
        Map<String, String> annotations = exportTo == null ? Map.of()
                : Map.of(dev.meshgate.config.source.kubernetes.ServiceRegistryTranslator.EXPORT_TO_ANNOTATION, exportTo);
        return new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata().withNamespace(ns)
                .withName(name).withAnnotations(annotations).endMetadata()
                .withNewSpec().withType("ClusterIP").withPorts(new io.fabric8.kubernetes.api.model.ServicePortBuilder()
                        .withName("http").withPort(80).build()).endSpec().build();
    }

    @Test
    void kubernetesServicesAreVisibleAsTheirExportToAnnotationSays() {
        var translator = new dev.meshgate.config.source.kubernetes.ServiceRegistryTranslator("cluster.local");
        List<Resource<ServiceEntry>> synthetic = translator.translate(List.of(
                service("shop", "cart", "."), service("shop", "pay", "istio-system, billing"),
                service("shop", "web", null), service("istio-system", "probe", ".")), List.of(), List.of());
        ClusterTable t = compile(synthetic.toArray(new Resource<?>[0]));
        assertNull(t.find(new ClusterKey("cart.shop.svc.cluster.local", "", 80)));
        assertNotNull(t.find(new ClusterKey("pay.shop.svc.cluster.local", "", 80)));
        assertNotNull(t.find(new ClusterKey("web.shop.svc.cluster.local", "", 80)));
        assertNotNull(t.find(new ClusterKey("probe.istio-system.svc.cluster.local", "", 80)));
    }

    @Test
    void wildcardLookupPrefersTheMostSpecificSuffix() {
        ClusterTable t = compile(
                se("default", "w1", null, "*.example.test", List.of(), "10.0.3.1", port(80, "http", Protocol.HTTP)),
                se("default", "w2", null, "*.eu.example.test", List.of(), "10.0.3.2",
                        port(80, "http", Protocol.HTTP)));
        Cluster eu = t.findWildcard(new ClusterKey("api.eu.example.test", "", 80));
        assertSame(t.find(new ClusterKey("*.eu.example.test", "", 80)), eu);
        Cluster any = t.findWildcard(new ClusterKey("API.us.example.test", "", 80));
        assertSame(t.find(new ClusterKey("*.example.test", "", 80)), any);
        assertNull(t.findWildcard(new ClusterKey("example.test", "", 80)));
        assertNull(t.findWildcard(new ClusterKey("api.example.test", "", 443)));
    }
}

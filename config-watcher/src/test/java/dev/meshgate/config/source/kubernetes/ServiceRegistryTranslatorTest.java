package dev.meshgate.config.source.kubernetes;

import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.networking.Protocol;
import dev.meshgate.config.model.networking.ServiceEntry;
import dev.meshgate.config.model.networking.ServicePort;
import dev.meshgate.config.validation.ConfigValidator;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import dev.meshgate.config.model.networking.WorkloadEntry;
import java.util.Map;

import static dev.meshgate.config.source.kubernetes.KubeObjects.ep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceRegistryTranslatorTest {

    final ServiceRegistryTranslator translator = new ServiceRegistryTranslator("cluster.local");

    static Service multiPort() {
        return new ServiceBuilder().withNewMetadata().withNamespace("shop").withName("cart")
                .withAnnotations(Map.of(ServiceRegistryTranslator.EXPORT_TO_ANNOTATION, "., istio-system"))
                .endMetadata()
                .withNewSpec().withType("ClusterIP").withSelector(Map.of("app", "cart")).withPorts(
                        new ServicePortBuilder().withName("http-web").withPort(80).withTargetPort(new IntOrString("web"))
                                .build(),
                        new ServicePortBuilder().withName("api").withAppProtocol("grpc").withPort(9000)
                                .withTargetPort(new IntOrString(9001)).build(),
                        new ServicePortBuilder().withName("h2c").withAppProtocol("kubernetes.io/h2c").withPort(81)
                                .build(),
                        new ServicePortBuilder().withName("grpc-web-ui").withPort(82).build(),
                        new ServicePortBuilder().withName("db").withPort(5432).build(),
                        new ServicePortBuilder().withName("dns").withPort(53).withProtocol("UDP").build())
                .endSpec().build();
    }

    @Test
    void portsKeepNamesAndInferProtocolsLikeIstio() {
        Resource<ServiceEntry> se = translator.translate(List.of(multiPort()), List.of(), List.of()).get(0);
        List<ServicePort> ports = se.spec().ports();
        assertEquals(List.of("http-web", "api", "h2c", "grpc-web-ui", "db", "dns"),
                ports.stream().map(ServicePort::name).toList());
        assertEquals(Protocol.HTTP, ports.get(0).protocol());
        assertEquals(Protocol.GRPC, ports.get(1).protocol());
        assertEquals(Protocol.HTTP2, ports.get(2).protocol());
        assertEquals(Protocol.GRPC_WEB, ports.get(3).protocol());
        assertNull(ports.get(4).protocol(), "no hint: left for the route kind to decide, as Istio sniffs");
        assertEquals(Protocol.UDP, ports.get(5).protocol());
        assertEquals(List.of(".", "istio-system"), se.spec().exportTo());
        assertEquals("cart.shop.svc.cluster.local", se.name());
        assertEquals("shop", se.namespace());
    }

    @Test
    void endpointPortsResolveTargetPortsThroughTheSlicePortNames() {
        EndpointSlice slice = new EndpointSliceBuilder().withNewMetadata().withNamespace("shop").withName("cart-1")
                .withLabels(Map.of(ServiceRegistryTranslator.SERVICE_NAME_LABEL, "cart")).endMetadata()
                .withAddressType("IPv4")
                .withPorts(new EndpointPortBuilder().withName("http-web").withPort(8080).build(),
                        new EndpointPortBuilder().withName("api").withPort(9001).build())
                .withEndpoints(KubeObjects.slice("shop", "x", "cart", 1, ep("10.1.0.1", "cart-a", true))
                        .getEndpoints())
                .build();
        Resource<ServiceEntry> se = translator.translate(List.of(multiPort()), List.of(slice),
                List.of(KubeObjects.pod("shop", "cart-a", Map.of("app", "cart", "version", "v7")))).get(0);
        assertEquals(1, se.spec().endpoints().size());
        assertEquals(Map.of("http-web", 8080, "api", 9001), se.spec().endpoints().get(0).ports());
        assertEquals(Map.of("app", "cart", "version", "v7"), se.spec().endpoints().get(0).labels());
    }

    @Test
    void readyEndpointsOnlyDeduplicatedAcrossSlicesAndSlicesOfOtherServicesIgnored() {
        Service svc = KubeObjects.service("default", "reviews", Map.of("app", "reviews"));
        List<EndpointSlice> slices = List.of(
                KubeObjects.slice("default", "reviews-a", "reviews", 9080, ep("10.0.0.1", "p1", true),
                        ep("10.0.0.2", "p2", false)),
                KubeObjects.slice("default", "reviews-b", "reviews", 9080, ep("10.0.0.1", "p1", true),
                        ep("10.0.0.3", "p3", true)),
                KubeObjects.slice("default", "ratings-a", "ratings", 9080, ep("10.0.0.9", "p9", true)),
                KubeObjects.slice("other", "reviews-a", "reviews", 9080, ep("10.0.0.8", "p8", true)));
        Resource<ServiceEntry> se = translator.translate(List.of(svc), slices, List.of()).get(0);
        assertEquals(List.of("10.0.0.1", "10.0.0.3"), se.spec().endpoints().stream().map(e -> e.address()).toList());
        assertTrue(se.spec().endpoints().get(0).labels().isEmpty(), "unknown pod: no labels rather than a guess");
    }

    @Test
    void unnamedPortAndExternalName() {
        Service single = new ServiceBuilder().withNewMetadata().withNamespace("default").withName("one").endMetadata()
                .withNewSpec().withPorts(new ServicePortBuilder().withPort(8080).build()).endSpec().build();
        EndpointSlice slice = new EndpointSliceBuilder().withNewMetadata().withNamespace("default").withName("one-1")
                .withLabels(Map.of(ServiceRegistryTranslator.SERVICE_NAME_LABEL, "one")).endMetadata()
                .withAddressType("IPv4").withPorts(new EndpointPortBuilder().withPort(8081).build())
                .withEndpoints(KubeObjects.slice("default", "x", "one", 1, ep("10.2.0.1", "p", true)).getEndpoints())
                .build();
        Service external = new ServiceBuilder().withNewMetadata().withNamespace("default").withName("ext")
                .endMetadata().withNewSpec().withType("ExternalName").withExternalName("api.example.com.")
                .withPorts(new ServicePortBuilder().withName("https").withPort(443).build()).endSpec().build();
        List<Resource<ServiceEntry>> out = translator.translate(List.of(single, external), List.of(slice), List.of());
        ServiceEntry one = out.get(0).spec();
        assertEquals("port-8080", one.ports().get(0).name());
        assertEquals(Map.of("port-8080", 8081), one.endpoints().get(0).ports());
        ServiceEntry ext = out.get(1).spec();
        assertEquals(ServiceEntry.Resolution.DNS, ext.resolution());
        assertEquals("api.example.com", ext.endpoints().get(0).address());
        assertEquals(Protocol.HTTPS, ext.ports().get(0).protocol());
    }

    @Test
    void syntheticEntriesPassValidation() {
        List<Resource<?>> all = List.copyOf(translator.translate(List.of(multiPort(),
                KubeObjects.service("default", "reviews", Map.of())), List.of(KubeObjects.slice("default",
                "reviews-a", "reviews", 9080, ep("10.0.0.1", "p1", true))), List.of()));
        var result = new ConfigValidator().validate(all);
        assertFalse(result.hasErrors(), result.diagnostics().toString());
        assertEquals(2, result.accepted().size());
    }

    @Test
    void endpointLocalityComesFromTheNodeElseTheSliceZoneAndIsLeftToThePodsIstioLocalityLabel() {
        Service svc = KubeObjects.service("default", "reviews", Map.of("app", "reviews"));
        EndpointSlice slice = KubeObjects.slice("default", "reviews-a", "reviews", 9080,
                ep("10.0.0.1", "p1", true), ep("10.0.0.2", "p2", true), ep("10.0.0.3", "p3", true),
                ep("10.0.0.4", "p4", true), ep("10.0.0.5", "p5", true));
        List<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint> eps = slice.getEndpoints();
        eps.get(0).setZone("zone-a");                       // no Node known: the slice's zone only
        eps.get(1).setZone("zone-a");
        eps.get(1).setNodeName("node-b");                   // the Node's labels win
        eps.get(2).setZone("zone-a");
        eps.get(2).setNodeName("node-c");                   // a Node without a zone label: region + slice zone
        eps.get(3).setZone("zone-a");                       // the Pod says it itself
        Node nodeB = new NodeBuilder().withNewMetadata().withName("node-b").withLabels(Map.of(
                ServiceRegistryTranslator.REGION_LABEL, "us-east", ServiceRegistryTranslator.ZONE_LABEL, "zone-b",
                ServiceRegistryTranslator.SUBZONE_LABEL, "rack-1")).endMetadata().build();
        Node nodeC = new NodeBuilder().withNewMetadata().withName("node-c").withLabels(Map.of(
                ServiceRegistryTranslator.REGION_LABEL, "us-west")).endMetadata().build();
        List<io.fabric8.kubernetes.api.model.Pod> pods = List.of(KubeObjects.pod("default", "p4",
                Map.of("app", "reviews", ServiceRegistryTranslator.ISTIO_LOCALITY_LABEL, "eu.eu-1")));
        List<WorkloadEntry> out = translator.translate(List.of(svc), List.of(slice), pods, List.of(nodeB, nodeC))
                .get(0).spec().endpoints();
        assertEquals("/zone-a", out.get(0).locality());
        assertEquals("us-east/zone-b/rack-1", out.get(1).locality());
        assertEquals("us-west/zone-a", out.get(2).locality());
        assertNull(out.get(3).locality(), "the data plane reads the Pod's istio-locality label (Istio: it wins)");
        assertEquals("eu.eu-1", out.get(3).labels().get(ServiceRegistryTranslator.ISTIO_LOCALITY_LABEL));
        assertNull(out.get(4).locality(), "nothing known");
    }
}

package dev.meshgate.config.source.kubernetes;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Services, EndpointSlices and Pods as Kubernetes controllers would write them. */
final class KubeObjects {

    private KubeObjects() {
    }

    /** A ClusterIP Service with one port {@code http} 9080 -> named target port. */
    static Service service(String ns, String name, Map<String, String> selector) {
        return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name)
                .withCreationTimestamp("2026-01-01T00:00:00Z").endMetadata()
                .withNewSpec().withType("ClusterIP").withSelector(selector)
                .withPorts(new ServicePortBuilder().withName("http").withPort(9080).withProtocol("TCP")
                        .withTargetPort(new IntOrString("web")).build())
                .endSpec().build();
    }

    static Pod pod(String ns, String name, Map<String, String> labels) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("example").endContainer().endSpec()
                .build();
    }

    /** One slice of {@code service}; each entry is {address, podName, ready}. */
    static EndpointSlice slice(String ns, String sliceName, String service, int port, Object[]... endpoints) {
        List<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint> eps = new ArrayList<>();
        for (Object[] e : endpoints) {
            eps.add(new EndpointBuilder().withAddresses((String) e[0])
                    .withNewConditions().withReady((Boolean) e[2]).endConditions()
                    .withNewTargetRef().withKind("Pod").withNamespace(ns).withName((String) e[1]).endTargetRef()
                    .build());
        }
        return new EndpointSliceBuilder().withNewMetadata().withNamespace(ns).withName(sliceName)
                .withLabels(Map.of(ServiceRegistryTranslator.SERVICE_NAME_LABEL, service)).endMetadata()
                .withAddressType("IPv4")
                .withPorts(new EndpointPortBuilder().withName("http").withPort(port).withProtocol("TCP").build())
                .withEndpoints(eps).build();
    }

    static Object[] ep(String address, String pod, boolean ready) {
        return new Object[] {address, pod, ready};
    }
}

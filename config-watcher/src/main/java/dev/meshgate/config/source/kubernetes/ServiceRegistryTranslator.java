package dev.meshgate.config.source.kubernetes;

import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.ObjectMeta;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.SourceRef;
import dev.meshgate.config.model.networking.ServiceEntry;
import dev.meshgate.config.model.networking.ServicePort;
import dev.meshgate.config.model.networking.WorkloadEntry;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' service registry as the data plane already understands it: each Service becomes a synthetic
 * ServiceEntry, so nothing downstream needs to know about Kubernetes.
 * <ul>
 * <li>host {@code <svc>.<ns>.svc.<clusterDomain>} (also the synthetic resource's name, which no user-written
 *     ServiceEntry name is likely to collide with), namespace of the Service;</li>
 * <li>one port per Service port: number, name (an unnamed single port is named {@code port-<number>}), protocol
 *     from {@code appProtocol} or the name prefix as Istio infers it;</li>
 * <li>{@code resolution: STATIC}, {@code location: MESH_INTERNAL}; one endpoint per ready address of the Service's
 *     EndpointSlices, with {@code ports} mapping each Service port name to the endpoint's actual port (so
 *     {@code targetPort}, named or numbered, is already resolved) and {@code labels} = the labels of the Pod the
 *     endpoint points at. DestinationRule subsets therefore select Pods by their labels, as in Istio;</li>
 * <li>the endpoint's {@code locality}, as Istio finds it: nothing when the Pod has the {@code istio-locality} label
 *     (the data plane reads that label itself), else {@code region/zone/subzone} from the Node the endpoint runs on
 *     ({@code topology.kubernetes.io/region}, {@code topology.kubernetes.io/zone},
 *     {@code topology.istio.io/subzone}), the zone falling back to the EndpointSlice endpoint's {@code zone}
 *     (which Kubernetes copies from the Node) when Nodes are not readable;</li>
 * <li>{@code ExternalName} Services become {@code resolution: DNS} with the external name as the one endpoint;</li>
 * <li>the {@code networking.istio.io/exportTo} annotation becomes {@code exportTo}.</li>
 * </ul>
 * Nothing volatile (resource versions, Pod status) goes into the result, so Pod churn that changes neither
 * readiness nor labels produces identical content and no new snapshot.
 */
public final class ServiceRegistryTranslator {

    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    public static final String EXPORT_TO_ANNOTATION = "networking.istio.io/exportTo";
    public static final String ISTIO_LOCALITY_LABEL = "istio-locality";
    public static final String REGION_LABEL = "topology.kubernetes.io/region";
    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    public static final String SUBZONE_LABEL = "topology.istio.io/subzone";

    private final String clusterDomain;

    public ServiceRegistryTranslator(String clusterDomain) {
        this.clusterDomain = clusterDomain;
    }

    /** The host a Service is reachable as. */
    public String host(String name, String namespace) {
        return name + "." + namespace + ".svc." + clusterDomain;
    }

    public List<Resource<ServiceEntry>> translate(Collection<Service> services, Collection<EndpointSlice> slices,
                                                  Collection<Pod> pods) {
        return translate(services, slices, pods, List.of());
    }

    /** @param nodes the cluster's Nodes when they are readable (their topology labels), else empty */
    public List<Resource<ServiceEntry>> translate(Collection<Service> services, Collection<EndpointSlice> slices,
                                                  Collection<Pod> pods, Collection<Node> nodes) {
        Map<String, Map<String, String>> nodeLabels = new HashMap<>();
        for (Node n : nodes) {
            if (n.getMetadata() != null && n.getMetadata().getName() != null) {
                nodeLabels.put(n.getMetadata().getName(),
                        n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels());
            }
        }
        Map<String, List<EndpointSlice>> slicesByService = new HashMap<>();
        for (EndpointSlice s : slices) {
            String svc = s.getMetadata().getLabels() == null ? null
                    : s.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
            if (svc != null) {
                slicesByService.computeIfAbsent(s.getMetadata().getNamespace() + "/" + svc, k -> new ArrayList<>())
                        .add(s);
            }
        }
        Map<String, Map<String, String>> podLabels = new HashMap<>();
        for (Pod p : pods) {
            podLabels.put(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(),
                    p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels());
        }
        List<Resource<ServiceEntry>> out = new ArrayList<>();
        for (Service svc : services) {
            Resource<ServiceEntry> r = translate(svc, slicesByService.getOrDefault(
                    svc.getMetadata().getNamespace() + "/" + svc.getMetadata().getName(), List.of()), podLabels,
                    nodeLabels);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    private Resource<ServiceEntry> translate(Service svc, List<EndpointSlice> slices,
                                             Map<String, Map<String, String>> podLabels,
                                             Map<String, Map<String, String>> nodeLabels) {
        String ns = svc.getMetadata().getNamespace();
        String name = svc.getMetadata().getName();
        if (svc.getSpec() == null || ns == null || name == null) {
            return null;
        }
        String host = host(name, ns);
        List<ServicePort> ports = new ArrayList<>();
        for (io.fabric8.kubernetes.api.model.ServicePort p : list(svc.getSpec().getPorts())) {
            if (p.getPort() == null || "SCTP".equalsIgnoreCase(p.getProtocol())) {
                continue;
            }
            ports.add(new ServicePort(p.getPort(), PortProtocols.of(p.getName(), p.getAppProtocol(), p.getProtocol()),
                    portName(p.getName(), p.getPort()), 0));
        }
        List<WorkloadEntry> endpoints;
        ServiceEntry.Resolution resolution;
        if ("ExternalName".equals(svc.getSpec().getType())) {
            String external = svc.getSpec().getExternalName();
            resolution = ServiceEntry.Resolution.DNS;
            endpoints = external == null || external.isBlank() ? List.of()
                    : List.of(new WorkloadEntry(trimDot(external), Map.of(), Map.of(), null, null, 0, null));
        } else {
            resolution = ServiceEntry.Resolution.STATIC;
            endpoints = endpoints(svc, slices, podLabels, nodeLabels);
        }
        ServiceEntry spec = new ServiceEntry(List.of(host), List.of(), ports, ServiceEntry.Location.MESH_INTERNAL,
                resolution, endpoints, null, exportTo(svc), List.of());
        ObjectMeta meta = new ObjectMeta(host, ns, svc.getMetadata().getLabels(), Map.of(),
                timestamp(svc.getMetadata().getCreationTimestamp()), null, null);
        return new Resource<>(Kind.SERVICE_ENTRY.preferredApiVersion(), Kind.SERVICE_ENTRY, meta, spec,
                SourceRef.of("kubernetes:Service/" + ns + "/" + name));
    }

    private static List<WorkloadEntry> endpoints(Service svc, List<EndpointSlice> slices,
                                                 Map<String, Map<String, String>> podLabels,
                                                 Map<String, Map<String, String>> nodeLabels) {
        List<EndpointSlice> sorted = new ArrayList<>(slices);
        sorted.sort(Comparator.comparing(s -> s.getMetadata().getName()));
        // one entry per address and port set: a Pod listed in two slices of one Service (slices are split by
        // port set) keeps both; the same Pod twice with the same ports (a slice being rebalanced) counts once
        Map<String, WorkloadEntry> byAddress = new LinkedHashMap<>();
        for (EndpointSlice slice : sorted) {
            if ("FQDN".equals(slice.getAddressType())) {
                continue; // deprecated and unused by Kubernetes itself
            }
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (io.fabric8.kubernetes.api.model.ServicePort sp : list(svc.getSpec().getPorts())) {
                if (sp.getPort() == null) {
                    continue;
                }
                String wanted = sp.getName() == null ? "" : sp.getName();
                for (EndpointPort ep : list(slice.getPorts())) {
                    String have = ep.getName() == null ? "" : ep.getName();
                    if (have.equals(wanted) && ep.getPort() != null) {
                        ports.put(portName(sp.getName(), sp.getPort()), ep.getPort());
                    }
                }
            }
            for (Endpoint e : list(slice.getEndpoints())) {
                // ready == null means ready (the API's documented default); terminating endpoints are not ready
                if (e.getConditions() != null && Boolean.FALSE.equals(e.getConditions().getReady())) {
                    continue;
                }
                Map<String, String> labels = labels(e.getTargetRef(), slice.getMetadata().getNamespace(), podLabels);
                String locality = labels.containsKey(ISTIO_LOCALITY_LABEL) ? null : locality(e, nodeLabels);
                for (String address : list(e.getAddresses())) {
                    byAddress.putIfAbsent(address + " " + ports,
                            new WorkloadEntry(address, ports, labels, null, locality, 0, null));
                }
            }
        }
        return new ArrayList<>(byAddress.values());
    }

    /** {@code region/zone/subzone} of the endpoint's Node, the zone else from the slice; null when unknown. */
    static String locality(Endpoint e, Map<String, Map<String, String>> nodeLabels) {
        Map<String, String> node = e.getNodeName() == null ? Map.of()
                : nodeLabels.getOrDefault(e.getNodeName(), Map.of());
        String region = node.getOrDefault(REGION_LABEL, "");
        String zone = node.getOrDefault(ZONE_LABEL, e.getZone() == null ? "" : e.getZone());
        String subzone = node.getOrDefault(SUBZONE_LABEL, "");
        if (region.isEmpty() && zone.isEmpty() && subzone.isEmpty()) {
            return null;
        }
        return subzone.isEmpty() ? region + "/" + zone : region + "/" + zone + "/" + subzone;
    }

    private static Map<String, String> labels(ObjectReference ref, String sliceNs,
                                              Map<String, Map<String, String>> podLabels) {
        if (ref == null || !"Pod".equals(ref.getKind()) || ref.getName() == null) {
            return Map.of();
        }
        String ns = ref.getNamespace() == null ? sliceNs : ref.getNamespace();
        return podLabels.getOrDefault(ns + "/" + ref.getName(), Map.of());
    }

    private static List<String> exportTo(Service svc) {
        Map<String, String> ann = svc.getMetadata().getAnnotations();
        String v = ann == null ? null : ann.get(EXPORT_TO_ANNOTATION);
        if (v == null || v.isBlank()) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
        return List.copyOf(out);
    }

    static String portName(String name, int number) {
        return name == null || name.isEmpty() ? "port-" + number : name;
    }

    private static String trimDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static Instant timestamp(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}

package dev.meshgate.gateway.upstream.registry;

import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.networking.ServiceEntry;
import dev.meshgate.config.model.networking.WorkloadEntry;
import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.gateway.upstream.lb.Locality;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Services from ServiceEntries. Endpoints: the entry's own {@code endpoints}, else the WorkloadEntries of its
 * namespace matched by {@code workloadSelector}. STATIC and NONE use them as they are (on a gateway NONE has no
 * original destination, so Istio falls back to the endpoints). DNS and DNS_ROUND_ROBIN without endpoints use the
 * host itself, resolved through the DNS resolver when one is configured, else by the client at connect time.
 * DYNAMIC_DNS gives none: the request's host is resolved per request (see DynamicDnsEndpoints).
 */
public final class ServiceEntrySource implements ServiceSource {

    /** Answers of the DNS resolver by name (null = not resolved yet: the client resolves at connect time). */
    public interface DnsAnswers {
        List<String> lookup(String name);

        /** The names DNS-resolution services need, reported at each compile. */
        void need(java.util.Set<String> names);
    }

    private final DnsAnswers dns;
    /** The gateway's namespace: entries not exported to it are invisible; null = every entry is visible. */
    private final String viewer;

    public ServiceEntrySource() {
        this(null, null);
    }

    public ServiceEntrySource(DnsAnswers dns) {
        this(dns, null);
    }

    /** @param viewerNamespace the gateway's namespace, for {@code exportTo}; null = ignore exportTo */
    public ServiceEntrySource(DnsAnswers dns, String viewerNamespace) {
        this.dns = dns;
        this.viewer = viewerNamespace;
    }

    /**
     * Istio's exportTo for a ServiceEntry seen from {@code viewer}: empty = {@code *} (MeshConfig
     * defaultServiceExportTo), {@code *} = everywhere, {@code .} = its own namespace, {@code ~} = nowhere, else
     * the listed namespaces. Kubernetes Services carry the {@code networking.istio.io/exportTo} annotation here.
     */
    static boolean exportedTo(List<String> exportTo, String ownNamespace, String viewer) {
        if (viewer == null || exportTo.isEmpty()) {
            return true;
        }
        for (String e : exportTo) {
            String v = e.trim();
            if (v.equals("*") || v.equals(viewer) || (v.equals(".") && viewer.equals(ownNamespace))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<RegistryService> services(ConfigSnapshot snapshot) {
        List<Resource<ServiceEntry>> entries = new ArrayList<>(snapshot.all(ServiceEntry.class));
        entries.sort(ConfigOrder.OLDEST_FIRST);
        Map<String, List<Resource<WorkloadEntry>>> workloadsByNs = new HashMap<>();
        for (Resource<WorkloadEntry> we : snapshot.all(WorkloadEntry.class)) {
            workloadsByNs.computeIfAbsent(we.namespace(), k -> new ArrayList<>()).add(we);
        }
        List<RegistryService> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Resource<ServiceEntry> r : entries) {
            ServiceEntry se = r.spec();
            if (!exportedTo(se.exportTo(), r.namespace(), viewer)) {
                continue; // not exported to the gateway's namespace: as if it did not exist
            }
            List<ServiceEndpoint> endpoints = endpoints(r, workloadsByNs.getOrDefault(r.namespace(), List.of()));
            for (String host : se.hosts()) {
                List<ServiceEndpoint> eps = endpoints;
                if (eps.isEmpty() && se.workloadSelector() == null && !host.startsWith("*")
                        && (se.resolution() == ServiceEntry.Resolution.DNS
                        || se.resolution() == ServiceEntry.Resolution.DNS_ROUND_ROBIN)) {
                    eps = List.of(new ServiceEndpoint(host, Map.of(), Map.of(), 0));
                }
                if (dns != null && (se.resolution() == ServiceEntry.Resolution.DNS
                        || se.resolution() == ServiceEntry.Resolution.DNS_ROUND_ROBIN)) {
                    eps = resolved(eps, se.resolution() == ServiceEntry.Resolution.DNS_ROUND_ROBIN, names);
                }
                out.add(new RegistryService(host.toLowerCase(Locale.ROOT), r.namespace(), se.ports(), eps,
                        r.displayName(), se.resolution() == ServiceEntry.Resolution.DYNAMIC_DNS));
            }
        }
        if (dns != null) {
            dns.need(names);
        }
        return out;
    }

    /** DNS: one endpoint per A/AAAA record of each name; DNS_ROUND_ROBIN: the first address only. */
    private List<ServiceEndpoint> resolved(List<ServiceEndpoint> eps, boolean first, java.util.Set<String> names) {
        List<ServiceEndpoint> out = new ArrayList<>();
        for (ServiceEndpoint ep : eps) {
            if (isIpLiteral(ep.address())) {
                out.add(ep);
                continue;
            }
            names.add(ep.address());
            List<String> ips = dns.lookup(ep.address());
            if (ips == null || ips.isEmpty()) {
                out.add(ep);
                continue;
            }
            for (String ip : first ? ips.subList(0, 1) : ips) {
                out.add(new ServiceEndpoint(ip, ep.ports(), ep.labels(), ep.weight()));
            }
        }
        return first && out.size() > 1 ? List.of(out.get(0)) : out;
    }

    private static boolean isIpLiteral(String a) {
        return a.indexOf(':') >= 0 || a.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static List<ServiceEndpoint> endpoints(Resource<ServiceEntry> r, List<Resource<WorkloadEntry>> workloads) {
        ServiceEntry se = r.spec();
        if (se.resolution() == ServiceEntry.Resolution.DYNAMIC_DNS) {
            return List.of();
        }
        List<ServiceEndpoint> out = new ArrayList<>();
        if (!se.endpoints().isEmpty()) {
            for (WorkloadEntry we : se.endpoints()) {
                add(out, we);
            }
        } else if (se.workloadSelector() != null) {
            List<Resource<WorkloadEntry>> sorted = new ArrayList<>(workloads);
            sorted.sort(ConfigOrder.OLDEST_FIRST);
            for (Resource<WorkloadEntry> we : sorted) {
                if (Labels.selects(se.workloadSelector().labels(), we.spec().labels())) {
                    add(out, we.spec());
                }
            }
        }
        if (se.resolution() == ServiceEntry.Resolution.DNS_ROUND_ROBIN && out.size() > 1) {
            return List.of(out.get(0));
        }
        return out;
    }

    private static void add(List<ServiceEndpoint> out, WorkloadEntry we) {
        if (we.address() == null || we.address().isEmpty() || we.address().startsWith("unix://")) {
            return; // no address (network-gateway endpoints) or UDS: not reachable from a standalone gateway
        }
        out.add(new ServiceEndpoint(we.address(), we.ports(), topologyLabels(we), we.weight()));
    }

    /**
     * Istio's AugmentLabels: the endpoint's {@code locality} (else its {@code istio-locality} label, with dots
     * for slashes when it has no slash) and {@code network} become topology labels, which subsets,
     * failoverPriority and the locality load balancer read.
     */
    private static Map<String, String> topologyLabels(WorkloadEntry we) {
        String locality = we.locality();
        if ((locality == null || locality.isEmpty()) && we.labels().containsKey(Locality.ISTIO_LOCALITY_LABEL)) {
            locality = we.labels().get(Locality.ISTIO_LOCALITY_LABEL);
            locality = locality.contains("/") ? locality : locality.replace('.', '/');
        }
        return Locality.parse(locality).augment(we.labels(), we.network());
    }
}

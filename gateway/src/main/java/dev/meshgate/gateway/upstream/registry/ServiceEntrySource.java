package dev.meshgate.gateway.upstream.registry;

import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.networking.ServiceEntry;
import dev.meshgate.config.model.networking.WorkloadEntry;
import dev.meshgate.config.snapshot.ConfigSnapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Services from ServiceEntries. Endpoints: the entry's own {@code endpoints}, else the WorkloadEntries of its
 * namespace matched by {@code workloadSelector}. STATIC and NONE use them as they are (on a gateway NONE has no
 * original destination, so Istio falls back to the endpoints). DNS and DNS_ROUND_ROBIN without endpoints use the
 * host itself, resolved by the client at connect time until issue 5's resolver arrives. DYNAMIC_DNS gives none.
 */
public final class ServiceEntrySource implements ServiceSource {

    @Override
    public List<RegistryService> services(ConfigSnapshot snapshot) {
        List<Resource<ServiceEntry>> entries = new ArrayList<>(snapshot.all(ServiceEntry.class));
        entries.sort(ConfigOrder.OLDEST_FIRST);
        Map<String, List<Resource<WorkloadEntry>>> workloadsByNs = new HashMap<>();
        for (Resource<WorkloadEntry> we : snapshot.all(WorkloadEntry.class)) {
            workloadsByNs.computeIfAbsent(we.namespace(), k -> new ArrayList<>()).add(we);
        }
        List<RegistryService> out = new ArrayList<>();
        for (Resource<ServiceEntry> r : entries) {
            ServiceEntry se = r.spec();
            List<ServiceEndpoint> endpoints = endpoints(r, workloadsByNs.getOrDefault(r.namespace(), List.of()));
            for (String host : se.hosts()) {
                List<ServiceEndpoint> eps = endpoints;
                if (eps.isEmpty() && se.workloadSelector() == null && !host.startsWith("*")
                        && (se.resolution() == ServiceEntry.Resolution.DNS
                        || se.resolution() == ServiceEntry.Resolution.DNS_ROUND_ROBIN)) {
                    eps = List.of(new ServiceEndpoint(host, Map.of(), Map.of(), 0));
                }
                out.add(new RegistryService(host.toLowerCase(Locale.ROOT), r.namespace(), se.ports(), eps,
                        r.displayName()));
            }
        }
        return out;
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
        out.add(new ServiceEndpoint(we.address(), we.ports(), we.labels(), we.weight()));
    }
}

package dev.meshgate.config.validation;

import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.networking.WorkloadEntry;

import java.util.Map;
import java.util.Set;

/** WorkloadEntry rules (Istio's {@code validateWorkloadEntry}); also applied to ServiceEntry endpoints. */
final class WorkloadEntryValidator implements KindValidator<WorkloadEntry> {

    @Override
    public Class<WorkloadEntry> specType() {
        return WorkloadEntry.class;
    }

    @Override
    public void validate(Resource<WorkloadEntry> resource, FieldContext spec) {
        endpoint(spec, resource.spec(), null, true);
    }

    /**
     * @param servicePorts the port names of the owning ServiceEntry, or null for a stand-alone WorkloadEntry
     * @param allowFqdn    whether the address may be a DNS name (DNS resolution, or stand-alone where the
     *                     resolution is not known)
     */
    static void endpoint(FieldContext at, WorkloadEntry we, Set<String> servicePorts, boolean allowFqdn) {
        String addr = we.address();
        if (Checks.isBlank(addr)) {
            if (Checks.isBlank(we.network())) {
                at.error("address", "is required (it may only be empty when network is set)");
                return;
            }
            at.warn("address", "is empty; the endpoint is reached through the gateway of network \""
                    + we.network() + "\"");
        } else if (addr.startsWith(GatewayValidator.UNIX_PREFIX)) {
            String problem = Checks.unixAddressProblem(addr.substring(GatewayValidator.UNIX_PREFIX.length()));
            if (problem != null) {
                at.error("address", problem);
            }
            if (!we.ports().isEmpty()) {
                at.error("ports", "a unix domain socket endpoint cannot have ports");
            }
            if (servicePorts != null && servicePorts.size() != 1) {
                at.error("address", "a unix domain socket endpoint needs a ServiceEntry with exactly one port");
            }
        } else if (!HostNames.isIp(addr)) {
            if (!allowFqdn) {
                at.error("address", "\"" + addr + "\" is not an IP address (resolution STATIC needs IPs)");
            } else if (HostNames.checkFqdn(addr) != null) {
                at.error("address", "\"" + addr + "\" is neither an IP address nor a valid host name");
            }
        }
        for (Map.Entry<String, Integer> p : we.ports().entrySet()) {
            FieldContext pi = at.field("ports").key(p.getKey());
            if (servicePorts != null && !servicePorts.contains(p.getKey())) {
                pi.error("port name \"" + p.getKey() + "\" is not a port of the ServiceEntry " + servicePorts);
            } else if (!HostNames.isLowerDnsLabel(p.getKey())) {
                pi.error("invalid port name \"" + p.getKey() + "\": must be a DNS-1123 label");
            }
            Checks.port(pi, p.getValue());
        }
        Checks.labels(at.field("labels"), we.labels());
        if (we.weight() < 0) {
            at.error("weight", "must be >= 0");
        }
        if (!Checks.isBlank(we.serviceAccount()) && !HostNames.isDnsSubdomain(we.serviceAccount())) {
            at.error("serviceAccount", "invalid service account name \"" + we.serviceAccount() + "\"");
        }
    }
}

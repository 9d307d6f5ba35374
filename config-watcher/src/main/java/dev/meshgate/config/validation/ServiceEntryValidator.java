package dev.meshgate.config.validation;

import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.networking.ServiceEntry;
import dev.meshgate.config.model.networking.ServiceEntry.Resolution;
import dev.meshgate.config.model.networking.ServicePort;
import dev.meshgate.config.model.networking.WorkloadEntry;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** ServiceEntry rules of Istio's {@code ValidateServiceEntry}. */
final class ServiceEntryValidator implements KindValidator<ServiceEntry> {

    @Override
    public Class<ServiceEntry> specType() {
        return ServiceEntry.class;
    }

    @Override
    public void validate(Resource<ServiceEntry> resource, FieldContext spec) {
        ServiceEntry se = resource.spec();
        Resolution resolution = se.resolution();
        if (se.workloadSelector() != null) {
            FieldContext ws = spec.field("workloadSelector");
            if (se.workloadSelector().labels().isEmpty()) {
                ws.warn("selects no labels, so it applies to every workload in the namespace");
            }
            Checks.labels(ws.field("labels"), se.workloadSelector().labels());
            if (!se.endpoints().isEmpty()) {
                spec.error("endpoints", "only one of workloadSelector or endpoints may be set");
            }
        }
        if (se.hosts().isEmpty()) {
            spec.error("hosts", "at least one host is required");
        }
        for (int i = 0; i < se.hosts().size(); i++) {
            String h = se.hosts().get(i);
            FieldContext hi = spec.field("hosts").index(i);
            if ("*".equals(h)) {
                hi.error("\"*\" is not allowed as a ServiceEntry host");
                continue;
            }
            String problem = HostNames.checkWildcardDomain(h);
            if (problem != null) {
                hi.error(problem);
            } else if (HostNames.isPartialWildcard(h)) {
                hi.warn("partial wildcard \"" + h + "\"; only \"*.\" as the left-most label is portable");
            }
        }
        boolean cidr = false;
        for (int i = 0; i < se.addresses().size(); i++) {
            String a = se.addresses().get(i);
            cidr |= a != null && a.contains("/");
            String problem = HostNames.checkIpOrCidr(a);
            if (problem != null) {
                spec.field("addresses").index(i).error(problem);
            }
        }
        if (cidr && resolution != Resolution.NONE && resolution != Resolution.STATIC) {
            spec.error("addresses", "CIDR blocks are only allowed with resolution NONE or STATIC");
        }

        Set<String> portNames = new LinkedHashSet<>();
        Map<Integer, Integer> numbers = new HashMap<>();
        for (int i = 0; i < se.ports().size(); i++) {
            ServicePort p = se.ports().get(i);
            FieldContext pi = spec.field("ports").index(i);
            if (Checks.isBlank(p.name())) {
                pi.error("name", "is required");
            } else {
                if (!portNames.add(p.name())) {
                    pi.error("name", "duplicate port name \"" + p.name() + "\"");
                }
                if (!HostNames.isLowerDnsLabel(p.name())) {
                    pi.error("name", "invalid port name \"" + p.name() + "\": must be a DNS-1123 label");
                }
            }
            Checks.port(pi.field("number"), p.number());
            Integer first = numbers.putIfAbsent(p.number(), i);
            if (first != null) {
                pi.error("number", "duplicate port " + p.number() + " (also spec.ports[" + first + "])");
            }
            if (p.targetPort() != 0) {
                Checks.port(pi.field("targetPort"), p.targetPort());
                if (resolution == Resolution.NONE) {
                    pi.warn("targetPort", "has no effect with resolution NONE");
                }
            }
        }

        switch (resolution) {
            case NONE -> {
                if (!se.endpoints().isEmpty()) {
                    spec.error("endpoints", "must be empty with resolution NONE (the original destination is used)");
                }
                if (se.workloadSelector() != null) {
                    spec.warn("workloadSelector", "has no effect with resolution NONE");
                }
            }
            case STATIC -> {
                if (se.endpoints().isEmpty() && se.workloadSelector() == null) {
                    spec.warn("resolution", "STATIC without endpoints or a workloadSelector has no endpoints; "
                            + "requests to it fail with 503");
                }
                for (int i = 0; i < se.endpoints().size(); i++) {
                    WorkloadEntryValidator.endpoint(spec.field("endpoints").index(i), se.endpoints().get(i),
                            portNames, false);
                }
            }
            case DNS, DNS_ROUND_ROBIN -> {
                if (se.endpoints().isEmpty()) {
                    for (int i = 0; i < se.hosts().size(); i++) {
                        String h = se.hosts().get(i);
                        if (h != null && !"*".equals(h) && HostNames.checkFqdn(h) != null
                                && HostNames.checkWildcardDomain(h) == null) {
                            spec.field("hosts").index(i).error("resolution " + resolution + " without endpoints "
                                    + "resolves the hosts themselves, so they must be plain DNS names (no wildcard)");
                        }
                    }
                }
                if (resolution == Resolution.DNS_ROUND_ROBIN && se.endpoints().size() > 1) {
                    spec.error("endpoints", "resolution DNS_ROUND_ROBIN allows at most one endpoint");
                }
                for (int i = 0; i < se.endpoints().size(); i++) {
                    WorkloadEntry ep = se.endpoints().get(i);
                    WorkloadEntryValidator.endpoint(spec.field("endpoints").index(i), ep, portNames, true);
                }
                if (se.workloadSelector() != null) {
                    spec.warn("workloadSelector", "has no effect with resolution " + resolution);
                }
                if (!se.addresses().isEmpty() && se.hosts().size() > 1
                        && se.ports().stream().anyMatch(p -> p.protocol() == null || !p.protocol().isHttp()
                        && !p.protocol().isTls())) {
                    spec.warn("hosts", "several hosts with addresses and a TCP port cannot be told apart");
                }
            }
            case DYNAMIC_DNS -> {
                if (!se.endpoints().isEmpty()) {
                    spec.warn("endpoints", "are ignored with resolution DYNAMIC_DNS (hosts are resolved per request)");
                }
            }
            default -> {
            }
        }
        if (resolution != Resolution.NONE && se.hosts().size() > 1) {
            for (int i = 0; i < se.ports().size(); i++) {
                ServicePort p = se.ports().get(i);
                if (p.protocol() != null && !p.protocol().isHttp() && !p.protocol().isTls()) {
                    spec.field("ports").index(i).error("protocol", "several hosts need HTTP or TLS ports to be told "
                            + "apart (by Host header or SNI); " + GatewayValidator.protocolName(p.protocol())
                            + " cannot");
                    break;
                }
            }
        }
        NetworkingRules.exportTo(spec.field("exportTo"), resource.namespace(), se.exportTo(), true);
    }
}

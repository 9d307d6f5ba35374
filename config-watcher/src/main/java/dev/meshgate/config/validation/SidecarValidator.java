package dev.meshgate.config.validation;

import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.networking.CaptureMode;
import dev.meshgate.config.model.networking.IstioEgressListener;
import dev.meshgate.config.model.networking.IstioIngressListener;
import dev.meshgate.config.model.networking.OutboundTrafficPolicy;
import dev.meshgate.config.model.networking.ServerTLSSettings.TLSmode;
import dev.meshgate.config.model.networking.Sidecar;
import dev.meshgate.config.model.networking.SidecarPort;

import java.util.HashSet;
import java.util.Set;

/** Sidecar rules of Istio's {@code ValidateSidecar} (modelled for the mesh agent; no gateway behaviour). */
final class SidecarValidator implements KindValidator<Sidecar> {

    @Override
    public Class<Sidecar> specType() {
        return Sidecar.class;
    }

    @Override
    public void validate(Resource<Sidecar> resource, FieldContext spec) {
        Sidecar sc = resource.spec();
        if (sc.workloadSelector() != null) {
            if (sc.workloadSelector().labels().isEmpty()) {
                spec.warn("workloadSelector", "selects no labels, so it applies to every workload in the namespace");
            }
            Checks.labels(spec.field("workloadSelector").field("labels"), sc.workloadSelector().labels());
        }
        if (sc.ingress().isEmpty() && sc.egress().isEmpty() && sc.outboundTrafficPolicy() == null
                && sc.inboundConnectionPool() == null) {
            spec.error("is empty; set at least one of ingress, egress, outboundTrafficPolicy or inboundConnectionPool");
            return;
        }
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < sc.ingress().size(); i++) {
            IstioIngressListener in = sc.ingress().get(i);
            FieldContext at = spec.field("ingress").index(i);
            if (in.port() == null) {
                at.error("port", "is required");
                continue;
            }
            port(at.field("port"), in.port(), false);
            if (!ports.add(in.port().number())) {
                at.field("port").error("number", "duplicate port " + in.port().number());
            }
            if (!Checks.isBlank(in.bind()) && !HostNames.isIp(in.bind())) {
                at.error("bind", "\"" + in.bind() + "\" is not an IP address");
            }
            defaultEndpoint(at.field("defaultEndpoint"), in.defaultEndpoint());
            if (in.tls() != null) {
                FieldContext tls = at.field("tls");
                if (!in.tls().subjectAltNames().isEmpty()) {
                    tls.error("subjectAltNames", "is not supported on sidecar ingress listeners");
                }
                if (in.tls().httpsRedirect()) {
                    tls.error("httpsRedirect", "is not supported on sidecar ingress listeners");
                }
                if (!Checks.isBlank(in.tls().credentialName())) {
                    tls.error("credentialName", "is not supported on sidecar ingress listeners");
                }
                if (in.tls().mode() == TLSmode.ISTIO_MUTUAL || in.tls().mode() == TLSmode.AUTO_PASSTHROUGH) {
                    tls.error("mode", in.tls().mode() + " is not allowed on sidecar ingress listeners");
                }
                GatewayValidator.validateServerTls(in.tls(), tls, true);
            }
            DestinationRuleValidator.connectionPool(at.field("connectionPool"), in.connectionPool());
        }
        DestinationRuleValidator.connectionPool(spec.field("inboundConnectionPool"), sc.inboundConnectionPool());

        Set<Integer> egressPorts = new HashSet<>();
        for (int i = 0; i < sc.egress().size(); i++) {
            IstioEgressListener eg = sc.egress().get(i);
            FieldContext at = spec.field("egress").index(i);
            if (eg.port() == null) {
                if (i != sc.egress().size() - 1) {
                    at.error("port", "only the last egress listener may omit the port (the catch-all listener)");
                }
            } else {
                boolean unix = eg.bind() != null && eg.bind().startsWith(GatewayValidator.UNIX_PREFIX);
                port(at.field("port"), eg.port(), unix);
                if (unix) {
                    String problem = Checks.unixAddressProblem(eg.bind().substring(GatewayValidator.UNIX_PREFIX.length()));
                    if (problem != null) {
                        at.error("bind", problem);
                    }
                    if (eg.captureMode() == CaptureMode.IPTABLES) {
                        at.error("captureMode", "must be DEFAULT or NONE for unix domain socket listeners");
                    }
                } else {
                    if (!Checks.isBlank(eg.bind()) && !HostNames.isIp(eg.bind())) {
                        at.error("bind", "\"" + eg.bind() + "\" is not an IP address or a unix:// path");
                    }
                    if (!egressPorts.add(eg.port().number())) {
                        at.field("port").error("number", "duplicate port " + eg.port().number());
                    }
                }
            }
            if (eg.hosts().isEmpty()) {
                at.error("hosts", "at least one host is required");
            }
            for (int h = 0; h < eg.hosts().size(); h++) {
                String problem = egressHostProblem(eg.hosts().get(h));
                if (problem != null) {
                    at.field("hosts").index(h).error(problem);
                }
            }
        }
        OutboundTrafficPolicy otp = sc.outboundTrafficPolicy();
        if (otp != null && otp.egressProxy() != null) {
            FieldContext at = spec.field("outboundTrafficPolicy");
            if (otp.mode() != OutboundTrafficPolicy.Mode.ALLOW_ANY) {
                at.error("egressProxy", "needs mode ALLOW_ANY");
            }
            NetworkingRules.destination(at.field("egressProxy"), otp.egressProxy());
            if (otp.egressProxy().port() == null) {
                at.field("egressProxy").error("port", "is required");
            }
        }
    }

    private static void port(FieldContext at, SidecarPort p, boolean unix) {
        if (unix) {
            if (p.number() != 0) {
                at.error("number", "must be 0 for a unix domain socket listener");
            }
        } else {
            Checks.port(at.field("number"), p.number());
        }
        if (!Checks.isBlank(p.name()) && !HostNames.isLowerDnsLabel(p.name())) {
            at.error("name", "invalid port name \"" + p.name() + "\"");
        }
        if (p.targetPort() > 0) {
            at.error("targetPort", "has no effect on a Sidecar; remove it");
        }
    }

    private static void defaultEndpoint(FieldContext at, String ep) {
        if (Checks.isBlank(ep)) {
            return;
        }
        if (ep.startsWith(GatewayValidator.UNIX_PREFIX)) {
            String problem = Checks.unixAddressProblem(ep.substring(GatewayValidator.UNIX_PREFIX.length()));
            if (problem != null) {
                at.error(problem);
            }
            return;
        }
        int colon = ep.lastIndexOf(':');
        String host = colon < 0 ? "" : ep.substring(0, colon);
        String port = colon < 0 ? "" : ep.substring(colon + 1);
        if (!Set.of("127.0.0.1", "0.0.0.0", "[::1]", "[::]", "").contains(host) || !port.matches("[0-9]{1,5}")) {
            at.error("must be 127.0.0.1:<port>, 0.0.0.0:<port>, [::1]:<port>, [::]:<port> or unix://<path>");
            return;
        }
        Checks.port(at, Integer.parseInt(port));
    }

    /** {@code ns/dnsName}: ns {@code *}, {@code .}, {@code ~} or a namespace; dnsName FQDN, wildcard or {@code *}. */
    private static String egressHostProblem(String host) {
        int slash = host == null ? -1 : host.indexOf('/');
        if (slash < 0) {
            return "host \"" + host + "\" must be of the form namespace/dnsName";
        }
        String ns = host.substring(0, slash);
        String dns = host.substring(slash + 1);
        if (ns.isEmpty() || dns.isEmpty()) {
            return "host \"" + host + "\": namespace and DNS name must not be empty";
        }
        if (!Set.of("*", ".", "~").contains(ns) && !HostNames.isLowerDnsLabel(ns)) {
            return "host \"" + host + "\": invalid namespace \"" + ns + "\"";
        }
        if (!dns.equals("*") && !dns.contains(".")) {
            return "host \"" + host + "\": short names are not allowed; use a fully-qualified name";
        }
        String problem = HostNames.checkWildcardDomain(dns);
        if (problem == null && HostNames.isPartialWildcard(dns)) {
            return "host \"" + host + "\": partial wildcard \"" + dns + "\" is not allowed";
        }
        return problem;
    }
}

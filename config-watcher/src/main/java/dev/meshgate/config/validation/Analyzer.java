package dev.meshgate.config.validation;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.networking.Destination;
import dev.meshgate.config.model.networking.DestinationRule;
import dev.meshgate.config.model.networking.Gateway;
import dev.meshgate.config.model.networking.HTTPMatchRequest;
import dev.meshgate.config.model.networking.HTTPMirrorPolicy;
import dev.meshgate.config.model.networking.HTTPRoute;
import dev.meshgate.config.model.networking.L4MatchAttributes;
import dev.meshgate.config.model.networking.Port;
import dev.meshgate.config.model.networking.Server;
import dev.meshgate.config.model.networking.ServerTLSSettings;
import dev.meshgate.config.model.networking.ServiceEntry;
import dev.meshgate.config.model.networking.Subset;
import dev.meshgate.config.model.networking.TLSMatchAttributes;
import dev.meshgate.config.model.networking.VirtualService;
import dev.meshgate.config.model.networking.WorkloadEntry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Cross-resource analysis over a whole snapshot, in the spirit of {@code istioctl analyze}. Every finding is a
 * WARNING: Istio accepts such resources (they simply do not bind, or answer 404/503), and during a rollout a
 * VirtualService may legitimately arrive before its Gateway or DestinationRule.
 */
public final class Analyzer {

    /** Findings for the given (already field-validated) resources, in resource order. */
    public List<Diagnostic> analyze(List<Resource<?>> resources) {
        Index index = new Index(resources);
        List<Diagnostic> out = new ArrayList<>();
        for (Resource<?> r : resources) {
            FieldContext spec = FieldContext.root(r, out).field("spec");
            if (r.spec() instanceof VirtualService) {
                virtualService(r.as(VirtualService.class), spec, index);
            } else if (r.spec() instanceof Gateway) {
                gateway(r.as(Gateway.class), spec, index);
            } else if (r.spec() instanceof ServiceEntry) {
                serviceEntry(r.as(ServiceEntry.class), spec, index);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------- VirtualService

    private static void virtualService(Resource<VirtualService> r, FieldContext spec, Index index) {
        VirtualService vs = r.spec();
        String ns = r.namespace();
        if (!vs.hosts().isEmpty() && vs.gateways().isEmpty()) {
            spec.warn("has no gateways, so it binds only to mesh (sidecars) and never to a gateway; add "
                    + "gateways: [<namespace>/<gateway>] to route ingress traffic (the most common cause of 404 "
                    + "at the ingress)");
        }
        for (int i = 0; i < vs.gateways().size(); i++) {
            gatewayRef(r, spec.field("gateways").index(i), vs.gateways().get(i), index, true);
        }
        for (int h = 0; h < vs.http().size(); h++) {
            HTTPRoute route = vs.http().get(h);
            FieldContext hi = spec.field("http").index(h);
            for (int m = 0; m < route.match().size(); m++) {
                HTTPMatchRequest match = route.match().get(m);
                for (int g = 0; g < match.gateways().size(); g++) {
                    gatewayRef(r, hi.field("match").index(m).field("gateways").index(g), match.gateways().get(g),
                            index, false);
                }
            }
            for (int d = 0; d < route.route().size(); d++) {
                destination(hi.field("route").index(d).field("destination"), route.route().get(d).destination(),
                        ns, index);
            }
            if (route.mirror() != null) {
                destination(hi.field("mirror"), route.mirror(), ns, index);
            }
            for (int m = 0; m < route.mirrors().size(); m++) {
                HTTPMirrorPolicy mp = route.mirrors().get(m);
                destination(hi.field("mirrors").index(m).field("destination"), mp.destination(), ns, index);
            }
            if (route.delegate() != null && !Checks.isBlank(route.delegate().name())) {
                String dns = Checks.isBlank(route.delegate().namespace()) ? ns : route.delegate().namespace();
                Resource<VirtualService> target = index.virtualServices.get(dns + "/" + route.delegate().name());
                if (target == null) {
                    hi.warn("delegate", "VirtualService " + dns + "/" + route.delegate().name()
                            + " not found; the route is dropped");
                } else if (!target.spec().hosts().isEmpty()) {
                    hi.warn("delegate", "VirtualService " + dns + "/" + route.delegate().name()
                            + " has hosts, so it is not a delegate and cannot be used here");
                }
            }
        }
        for (int t = 0; t < vs.tls().size(); t++) {
            var tls = vs.tls().get(t);
            for (int m = 0; m < tls.match().size(); m++) {
                TLSMatchAttributes match = tls.match().get(m);
                for (int g = 0; g < match.gateways().size(); g++) {
                    gatewayRef(r, spec.field("tls").index(t).field("match").index(m).field("gateways").index(g),
                            match.gateways().get(g), index, false);
                }
            }
            for (int d = 0; d < tls.route().size(); d++) {
                destination(spec.field("tls").index(t).field("route").index(d).field("destination"),
                        tls.route().get(d).destination(), ns, index);
            }
        }
        for (int t = 0; t < vs.tcp().size(); t++) {
            var tcp = vs.tcp().get(t);
            for (int m = 0; m < tcp.match().size(); m++) {
                L4MatchAttributes match = tcp.match().get(m);
                for (int g = 0; g < match.gateways().size(); g++) {
                    gatewayRef(r, spec.field("tcp").index(t).field("match").index(m).field("gateways").index(g),
                            match.gateways().get(g), index, false);
                }
            }
            for (int d = 0; d < tcp.route().size(); d++) {
                destination(spec.field("tcp").index(t).field("route").index(d).field("destination"),
                        tcp.route().get(d).destination(), ns, index);
            }
        }
    }

    /** The {@code ns/name} a VirtualService's gateway reference means (Istio's {@code resolveGatewayName}). */
    static String resolveGatewayName(String ref, String vsNamespace) {
        int slash = ref.indexOf('/');
        if (slash >= 0) {
            String ns = ref.substring(0, slash);
            return (ns.equals(".") ? vsNamespace : ns) + "/" + ref.substring(slash + 1);
        }
        if (ref.contains(".")) {
            String[] parts = ref.split("\\.");
            return parts[1] + "/" + parts[0];
        }
        return vsNamespace + "/" + ref;
    }

    private static void gatewayRef(Resource<VirtualService> r, FieldContext at, String ref, Index index,
                                   boolean checkHosts) {
        if (ref == null || ref.isEmpty() || ref.equals(NetworkingRules.MESH)) {
            return;
        }
        String key = resolveGatewayName(ref, r.namespace());
        Resource<Gateway> gw = index.gateways.get(key);
        if (gw == null) {
            at.warn("Gateway " + key + " not found; the VirtualService does not bind to it until it exists");
            return;
        }
        if (!checkHosts || r.spec().hosts().isEmpty()) {
            return;
        }
        List<String> serverHosts = new ArrayList<>();
        for (Server s : gw.spec().servers()) {
            for (String h : s.hosts()) {
                serverHosts.add(h);
                if (serverHostAdmits(h, gw.namespace(), r.namespace(), r.spec().hosts())) {
                    return;
                }
            }
        }
        at.warn("no host of the VirtualService " + r.spec().hosts() + " matches a host of Gateway " + key + " "
                + serverHosts + " for namespace " + r.namespace() + ", so it does not bind (404 at the ingress)");
    }

    /** A server host {@code [ns/]dns} admits a VirtualService of {@code vsNs} when ns fits and a host intersects. */
    private static boolean serverHostAdmits(String serverHost, String gatewayNs, String vsNs, List<String> vsHosts) {
        String ns = "*";
        String dns = serverHost;
        int slash = serverHost.indexOf('/');
        if (slash >= 0) {
            ns = serverHost.substring(0, slash);
            dns = serverHost.substring(slash + 1);
        }
        if (ns.equals(".")) {
            ns = gatewayNs;
        }
        if (!ns.equals("*") && !ns.equals(vsNs)) {
            return false;
        }
        for (String h : vsHosts) {
            if (HostNames.intersects(HostNames.resolveShortName(h, vsNs), dns)) {
                return true;
            }
        }
        return false;
    }

    private static void destination(FieldContext at, Destination d, String ns, Index index) {
        if (d == null || Checks.isBlank(d.host())) {
            return;
        }
        String host = HostNames.resolveShortName(d.host(), ns);
        if (!index.hasService(host)) {
            at.warn("host", "no ServiceEntry declares host \"" + host + "\"; requests routed here find no "
                    + "endpoints unless another registry provides them");
        }
        if (!Checks.isBlank(d.subset())) {
            List<Resource<DestinationRule>> rules = index.rulesFor(host);
            if (rules.isEmpty()) {
                at.warn("subset", "no DestinationRule for host \"" + host + "\" defines subset \"" + d.subset()
                        + "\"; requests routed here get 503 (NC)");
                return;
            }
            for (Resource<DestinationRule> dr : rules) {
                for (Subset s : dr.spec().subsets()) {
                    if (d.subset().equals(s.name())) {
                        return;
                    }
                }
            }
            List<String> names = new ArrayList<>();
            for (Resource<DestinationRule> dr : rules) {
                names.add(dr.namespace() + "/" + dr.name());
            }
            at.warn("subset", "subset \"" + d.subset() + "\" is not defined by the DestinationRule(s) for host \""
                    + host + "\" " + names + "; requests routed here get 503 (NC)");
        }
    }

    // ---------------------------------------------------------------------------------------------- Gateway

    private static void gateway(Resource<Gateway> r, FieldContext spec, Index index) {
        List<Server> servers = r.spec().servers();
        for (int i = 0; i < servers.size(); i++) {
            Server s = servers.get(i);
            if (s.port() == null) {
                continue;
            }
            FieldContext at = spec.field("servers").index(i);
            // compare against every earlier server (this Gateway's and earlier Gateways') on the same workload set
            for (ServerRef other : index.serversBefore(r, i)) {
                Server o = other.server();
                if (o.port() == null || o.port().number() != s.port().number()
                        || !Objects.equals(emptyToNull(o.bind()), emptyToNull(s.bind()))
                        || !Objects.equals(other.gateway().spec().selector(), r.spec().selector())) {
                    continue;
                }
                String where = other.describe();
                String pc = protocolClass(s.port());
                String oc = protocolClass(o.port());
                if (pc != null && oc != null && !pc.equals(oc)) {
                    at.warn("port", "port " + s.port().number() + " is " + s.port().protocol() + " here but "
                            + o.port().protocol() + " in " + where + "; Istio keeps only one of them");
                    continue;
                }
                String shared = sharedHost(s.hosts(), o.hosts());
                if (shared == null) {
                    continue;
                }
                String conflict = certificateConflict(s.tls(), o.tls());
                if (conflict != null) {
                    at.warn("tls", "host \"" + shared + "\" on port " + s.port().number() + " is also served by "
                            + where + " with a different certificate (" + conflict + "); only one certificate "
                            + "can be presented for an SNI name");
                } else if (s.port().protocol() != null && s.port().protocol().isTls()) {
                    at.warn("hosts", "port " + s.port().number() + " and host \"" + shared + "\" are also claimed "
                            + "by " + where + "; only one TLS filter chain per SNI name is kept, so one server's "
                            + "settings are ignored");
                } else {
                    at.warn("hosts", "port " + s.port().number() + " and host \"" + shared + "\" are also claimed "
                            + "by " + where + "; plain-text servers on one port share a route table, so "
                            + "VirtualServices bound to either Gateway answer for both");
                }
            }
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /**
     * The first host both servers name identically. Overlapping but different names (a wildcard and an exact name)
     * are fine: Envoy picks the most specific virtual host or SNI filter chain.
     */
    private static String sharedHost(List<String> a, List<String> b) {
        for (String x : a) {
            for (String y : b) {
                if (dnsPart(x).equalsIgnoreCase(dnsPart(y))) {
                    return dnsPart(x);
                }
            }
        }
        return null;
    }

    private static String dnsPart(String serverHost) {
        int slash = serverHost.indexOf('/');
        return slash < 0 ? serverHost : serverHost.substring(slash + 1);
    }

    /** Non-null when both servers terminate TLS and name different certificates. */
    private static String certificateConflict(ServerTLSSettings a, ServerTLSSettings b) {
        if (a == null || b == null) {
            return null;
        }
        String ca = certificateOf(a);
        String cb = certificateOf(b);
        if (ca == null || cb == null || ca.equals(cb)) {
            return null;
        }
        return ca + " vs " + cb;
    }

    private static String certificateOf(ServerTLSSettings t) {
        switch (t.mode()) {
            case SIMPLE, MUTUAL, OPTIONAL_MUTUAL -> {
                if (!Checks.isBlank(t.credentialName())) {
                    return "credentialName " + t.credentialName();
                }
                if (!t.credentialNames().isEmpty()) {
                    return "credentialNames " + t.credentialNames();
                }
                if (!Checks.isBlank(t.serverCertificate())) {
                    return "serverCertificate " + t.serverCertificate();
                }
                if (!t.tlsCertificates().isEmpty()) {
                    return "tlsCertificates " + t.tlsCertificates().get(0).serverCertificate();
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- ServiceEntry

    private static void serviceEntry(Resource<ServiceEntry> r, FieldContext spec, Index index) {
        ServiceEntry se = r.spec();
        if (se.workloadSelector() == null || se.workloadSelector().labels().isEmpty()) {
            return;
        }
        for (Resource<WorkloadEntry> we : index.workloadEntries) {
            if (we.namespace().equals(r.namespace())
                    && we.spec().labels().entrySet().containsAll(se.workloadSelector().labels().entrySet())) {
                return;
            }
        }
        spec.warn("workloadSelector", "selects no WorkloadEntry in namespace " + r.namespace() + " "
                + se.workloadSelector().labels() + "; the service has no endpoints unless another registry "
                + "provides them");
    }

    // ---------------------------------------------------------------------------------------------- index

    private record ServerRef(Resource<Gateway> gateway, int index, Server server) {
        String describe() {
            return "Gateway " + gateway.namespace() + "/" + gateway.name() + " spec.servers[" + index + "]";
        }
    }

    private static final class Index {
        final Map<String, Resource<Gateway>> gateways = new LinkedHashMap<>();
        final Map<String, Resource<VirtualService>> virtualServices = new LinkedHashMap<>();
        final List<Resource<DestinationRule>> destinationRules = new ArrayList<>();
        final Set<String> serviceHosts = new LinkedHashSet<>();
        final List<Resource<WorkloadEntry>> workloadEntries = new ArrayList<>();
        final List<ServerRef> servers = new ArrayList<>();

        Index(List<Resource<?>> resources) {
            for (Resource<?> r : resources) {
                String key = r.namespace() + "/" + r.name();
                if (r.spec() instanceof Gateway) {
                    Resource<Gateway> g = r.as(Gateway.class);
                    gateways.putIfAbsent(key, g);
                    for (int i = 0; i < g.spec().servers().size(); i++) {
                        servers.add(new ServerRef(g, i, g.spec().servers().get(i)));
                    }
                } else if (r.spec() instanceof VirtualService) {
                    virtualServices.putIfAbsent(key, r.as(VirtualService.class));
                } else if (r.spec() instanceof DestinationRule) {
                    destinationRules.add(r.as(DestinationRule.class));
                } else if (r.spec() instanceof ServiceEntry se) {
                    for (String h : se.hosts()) {
                        serviceHosts.add(HostNames.resolveShortName(h, r.namespace()));
                    }
                } else if (r.spec() instanceof WorkloadEntry) {
                    workloadEntries.add(r.as(WorkloadEntry.class));
                }
            }
        }

        boolean hasService(String host) {
            if (serviceHosts.contains(host)) {
                return true;
            }
            for (String h : serviceHosts) {
                if (HostNames.subsetOf(host, h)) {
                    return true;
                }
            }
            return false;
        }

        /** DestinationRules whose (resolved) host covers the destination host. */
        List<Resource<DestinationRule>> rulesFor(String host) {
            List<Resource<DestinationRule>> out = new ArrayList<>();
            for (Resource<DestinationRule> dr : destinationRules) {
                String drHost = dr.spec().host();
                if (drHost != null && HostNames.subsetOf(host, HostNames.resolveShortName(drHost, dr.namespace()))) {
                    out.add(dr);
                }
            }
            return out;
        }

        List<ServerRef> serversBefore(Resource<Gateway> gw, int serverIndex) {
            List<ServerRef> out = new ArrayList<>();
            for (ServerRef s : servers) {
                if (s.gateway() == gw && s.index() >= serverIndex) {
                    break;
                }
                out.add(s);
            }
            return out;
        }
    }

    private static String protocolClass(Port p) {
        if (p.protocol() == null) {
            return null;
        }
        return p.protocol().isHttp() ? "http" : p.protocol().isTls() ? "tls" : p.protocol().name();
    }
}

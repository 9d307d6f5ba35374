package dev.meshgate.gateway.edge;

import dev.meshgate.cert.source.CredentialFiles;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.networking.Gateway;
import dev.meshgate.config.model.networking.L4MatchAttributes;
import dev.meshgate.config.model.networking.TCPRoute;
import dev.meshgate.config.model.networking.Protocol;
import dev.meshgate.config.model.networking.RouteDestination;
import dev.meshgate.config.model.networking.Server;
import dev.meshgate.config.model.networking.ServerTLSSettings;
import dev.meshgate.config.model.networking.ServerTLSSettings.TLSmode;
import dev.meshgate.config.model.networking.TLSCertificate;
import dev.meshgate.config.model.networking.TLSMatchAttributes;
import dev.meshgate.config.model.networking.TLSRoute;
import dev.meshgate.config.model.networking.VirtualService;
import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.gateway.route.ClusterKey;
import dev.meshgate.gateway.route.HostNames;
import dev.meshgate.gateway.route.ListenerKey;
import dev.meshgate.gateway.route.RouteCompiler;
import dev.meshgate.gateway.route.VirtualHostTable;
import dev.meshgate.gateway.tls.ClientCertPins;
import dev.meshgate.gateway.tls.SniMatcher;
import dev.meshgate.gateway.tls.TlsMode;
import dev.meshgate.gateway.tls.TlsProtocolVersion;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compiles the HTTPS and TLS servers of the Gateways that select this instance, as istiod builds an ingress
 * gateway's TLS filter chains (pilot gateway.go): servers merged per (bind, port); a terminating server
 * (SIMPLE, MUTUAL, OPTIONAL_MUTUAL) becomes one SNI entry with its own route table; PASSTHROUGH servers route
 * on SNI with VirtualService {@code tls:} routes whose {@code sniHosts} intersect the server's hosts.
 */
public final class EdgeCompiler {

    private final ConfigSnapshot snapshot;
    private final Map<String, String> labels;
    private final String instanceNamespace;
    private final List<String> notes = new ArrayList<>();

    private EdgeCompiler(ConfigSnapshot snapshot, Map<String, String> labels, String instanceNamespace) {
        this.snapshot = snapshot;
        this.labels = labels;
        this.instanceNamespace = instanceNamespace;
    }

    private record Bound(String gatewayName, String gatewayNamespace, String where, Server server) {
    }

    /**
     * @param plainHttp listeners already taken by plain-HTTP servers (Istio rejects conflicting protocols on a
     *                  port; the TLS servers there are dropped with a note)
     */
    public static EdgePlan compile(ConfigSnapshot snapshot, Map<String, String> labels, String instanceNamespace,
                                   Set<ListenerKey> plainHttp) {
        return new EdgeCompiler(snapshot, labels, instanceNamespace).run(plainHttp);
    }

    private EdgePlan run(Set<ListenerKey> plainHttp) {
        Map<ListenerKey, List<Bound>> terminating = new LinkedHashMap<>();
        Map<ListenerKey, List<Bound>> passthrough = new LinkedHashMap<>();
        Map<ListenerKey, List<Bound>> plainTcp = new LinkedHashMap<>();
        for (Resource<Gateway> gw : RouteCompiler.orderedGateways(snapshot)) {
            if (!RouteCompiler.selects(gw.spec().selector(), labels)) {
                continue;
            }
            int i = 0;
            for (Server s : gw.spec().servers()) {
                String where = gw.displayName() + " spec.servers[" + i++ + "]";
                if (s.port() != null && s.port().protocol() == Protocol.TCP) {
                    plainTcpServer(gw, where, s, plainHttp, plainTcp);
                    continue;
                }
                if (s.port() == null || s.port().protocol() == null || !s.port().protocol().isTls()) {
                    continue;
                }
                String bind = s.bind() == null || s.bind().isEmpty() ? null : s.bind();
                if (bind != null && bind.startsWith("unix://")) {
                    notes.add(where + ": unix domain socket bind is not supported; server skipped");
                    continue;
                }
                ListenerKey key = new ListenerKey(bind, s.port().number());
                if (plainHttp.contains(key)) {
                    notes.add(where + ": port " + key + " already serves plain HTTP; conflicting protocols on one"
                            + " port are rejected (as Istio does); server skipped");
                    continue;
                }
                ServerTLSSettings tls = s.tls();
                if (tls == null) {
                    notes.add(where + ": " + s.port().protocol() + " server without tls settings; server skipped");
                    continue;
                }
                Bound b = new Bound(gw.namespace() + "/" + gw.name(), gw.namespace(), where, s);
                TLSmode mode = tls.mode();
                if (mode == TLSmode.PASSTHROUGH) {
                    passthrough.computeIfAbsent(key, k -> new ArrayList<>()).add(b);
                } else if (mode == TLSmode.SIMPLE || mode == TLSmode.MUTUAL || mode == TLSmode.OPTIONAL_MUTUAL) {
                    terminating.computeIfAbsent(key, k -> new ArrayList<>()).add(b);
                } else {
                    notes.add(where + ": tls.mode " + mode + " is not supported; server skipped");
                }
            }
        }
        Map<ListenerKey, TlsPortPlan> tlsPorts = new LinkedHashMap<>();
        terminating.forEach((key, servers) -> {
            TlsPortPlan p = terminatingPort(key, servers);
            if (p != null) {
                tlsPorts.put(key, p);
            }
        });
        Map<ListenerKey, PassthroughPlan> ptPorts = new LinkedHashMap<>();
        passthrough.forEach((key, servers) -> {
            if (tlsPorts.containsKey(key)) {
                for (Bound b : servers) {
                    notes.add(b.where() + ": PASSTHROUGH on port " + key + ", which also terminates TLS for other"
                            + " servers, is not supported; server skipped");
                }
                return;
            }
            ptPorts.put(key, passthroughPort(key, servers));
        });
        Map<ListenerKey, TcpPortPlan> tcpPorts = new LinkedHashMap<>();
        plainTcp.forEach((key, servers) -> {
            if (tlsPorts.containsKey(key) || ptPorts.containsKey(key)) {
                for (Bound b : servers) {
                    notes.add(b.where() + ": TCP on port " + key + ", which already serves TLS; conflicting"
                            + " protocols on one port are rejected (as Istio does); server skipped");
                }
                return;
            }
            tcpPorts.put(key, tcpPort(key, servers));
        });
        return new EdgePlan(tlsPorts, ptPorts, notes, tcpPorts);
    }

    private void plainTcpServer(Resource<Gateway> gw, String where, Server s, Set<ListenerKey> plainHttp,
                                Map<ListenerKey, List<Bound>> plainTcp) {
        String bind = s.bind() == null || s.bind().isEmpty() ? null : s.bind();
        if (bind != null && bind.startsWith("unix://")) {
            notes.add(where + ": unix domain socket bind is not supported; server skipped");
            return;
        }
        ListenerKey key = new ListenerKey(bind, s.port().number());
        if (plainHttp.contains(key)) {
            notes.add(where + ": port " + key + " already serves plain HTTP; conflicting protocols on one"
                    + " port are rejected (as Istio does); server skipped");
            return;
        }
        plainTcp.computeIfAbsent(key, k -> new ArrayList<>())
                .add(new Bound(gw.namespace() + "/" + gw.name(), gw.namespace(), where, s));
    }

    /**
     * A plain TCP port has one filter chain (nothing to tell servers apart by): the first server, in merge order,
     * whose Gateway has an applicable {@code tcp:} route supplies it.
     */
    private TcpPortPlan tcpPort(ListenerKey key, List<Bound> servers) {
        List<Resource<VirtualService>> vss = RouteCompiler.orderedVirtualServices(snapshot, instanceNamespace);
        TcpPortPlan chosen = null;
        for (Bound b : servers) {
            Server s = b.server();
            String portName = s.port().name() == null ? "" : s.port().name();
            String[] gw = b.gatewayName().split("/", 2);
            String routeName = "tcp." + s.port().number() + "." + portName + "." + gw[1] + "." + gw[0];
            if (chosen != null && chosen.routes()) {
                notes.add(b.where() + ": port " + key + " already routes TCP by " + chosen.where()
                        + "; server skipped");
                continue;
            }
            TcpRoutes r = tcpRoute(key, b, vss);
            if (chosen == null || !r.isEmpty()) {
                chosen = new TcpPortPlan(key, routeName, b.where(), r.route(), r.candidates());
            }
        }
        return chosen;
    }

    private TlsPortPlan terminatingPort(ListenerKey key, List<Bound> servers) {
        List<TlsServerPlan> plans = new ArrayList<>();
        ServerTLSSettings first = null;
        boolean tcp = servers.get(0).server().port().protocol() == Protocol.TLS;
        List<Resource<VirtualService>> vss = tcp ? RouteCompiler.orderedVirtualServices(snapshot, instanceNamespace)
                : List.of();
        for (Bound b : servers) {
            Server s = b.server();
            ServerTLSSettings tls = s.tls();
            if ((s.port().protocol() == Protocol.TLS) != tcp) {
                notes.add(b.where() + ": port " + key + " already terminates " + (tcp ? "TLS (TCP)" : "HTTPS")
                        + " for an earlier server; a port serves one of them; server skipped");
                continue;
            }
            CredentialSpec cred = credential(b.where(), tls);
            if (cred == null) {
                continue;
            }
            if (first == null) {
                first = tls;
            } else if (first.minProtocolVersion() != tls.minProtocolVersion()
                    || first.maxProtocolVersion() != tls.maxProtocolVersion()
                    || !first.cipherSuites().equals(tls.cipherSuites())) {
                notes.add(b.where() + ": protocol versions and cipher suites apply per port; port " + key
                        + " uses those of its first server");
            }
            String portName = s.port().name() == null ? "" : s.port().name();
            String[] gw = b.gatewayName().split("/", 2);
            String routeName = (tcp ? "tcp." : "https.") + s.port().number() + "." + portName + "." + gw[1] + "."
                    + gw[0];
            VirtualHostTable routes = tcp ? VirtualHostTable.EMPTY : RouteCompiler.compileServer(snapshot, labels,
                    instanceNamespace, key, b.gatewayName(), b.gatewayNamespace(), s, notes);
            TcpRoutes tcpRoute = tcp ? tcpRoute(key, b, vss) : new TcpRoutes(List.of(), null);
            plans.add(new TlsServerPlan(routeName, b.where(), sniHosts(s), TlsMode.valueOf(tls.mode().name()), cred,
                    new ClientCertPins(tls.subjectAltNames(), tls.verifyCertificateSpki(),
                            tls.verifyCertificateHash()), routes, tcpRoute.route(), tcpRoute.candidates()));
        }
        if (plans.isEmpty()) {
            return null;
        }
        return new TlsPortPlan(key, tcp, plans, TlsProtocolVersion.valueOf(first.minProtocolVersion().name()),
                TlsProtocolVersion.valueOf(first.maxProtocolVersion().name()), first.cipherSuites());
    }

    /** The {@code tcp:} routes of a server: conditional match blocks in order, then the first unconditional. */
    private record TcpRoutes(List<L4Candidate> candidates, SniRoute route) {
        boolean isEmpty() {
            return route == null && candidates.isEmpty();
        }
    }

    /**
     * Istio's TCP routes for a server: the VirtualServices bound to the server's gateway whose hosts meet the
     * server's, in merge order; the {@code tcp:} routes with a match block for this gateway and port (or no match at
     * all) apply. Blocks with {@code destinationSubnets}/{@code sourceSubnet} are
     * decided per connection; the first block without them ends the list (later routes can never be reached).
     */
    private TcpRoutes tcpRoute(ListenerKey key, Bound b, List<Resource<VirtualService>> vss) {
        List<L4Candidate> candidates = new ArrayList<>();
        for (Resource<VirtualService> vs : vss) {
            List<String> vsHosts = new ArrayList<>();
            for (String h : vs.spec().hosts()) {
                vsHosts.add(HostNames.resolveShortName(h, vs.namespace()));
            }
            if (HostNames.intersection(serverHosts(b, vs.namespace()), vsHosts).isEmpty()) {
                continue;
            }
            boolean vsBound = vs.spec().gatewaysOrDefault().stream()
                    .anyMatch(g -> HostNames.resolveGatewayName(g, vs.namespace()).equals(b.gatewayName()));
            int i = 0;
            for (TCPRoute route : vs.spec().tcp()) {
                String name = vs.displayName() + " spec.tcp[" + i++ + "]";
                if (route.match().isEmpty()) {
                    SniRoute r = vsBound ? route(name, vs.namespace(), route.route()) : null;
                    if (r != null) {
                        return new TcpRoutes(candidates, r);
                    }
                    continue;
                }
                SniRoute r = null;
                int j = 0;
                for (L4MatchAttributes m : route.match()) {
                    String where = name + ".match[" + j++ + "]";
                    if (!l4Applies(m, key, b, vsBound, vs.namespace())) {
                        continue;
                    }
                    if (r == null) {
                        r = route(name, vs.namespace(), route.route());
                        if (r == null) {
                            break;
                        }
                    }
                    L4Candidate c = candidate(where, m, r);
                    if (c == null) {
                        continue;
                    }
                    if (c.destinationSubnets().isEmpty() && c.sourceSubnet() == null) {
                        return new TcpRoutes(candidates, r);
                    }
                    candidates.add(c);
                }
            }
        }
        if (candidates.isEmpty()) {
            notes.add(b.where() + ": no VirtualService tcp route applies; connections are closed");
        }
        return new TcpRoutes(candidates, null);
    }

    /**
     * The compile-time part of an L4 match block: port, and its gateways or else the VirtualService's. As in Istio's
     * gateway code (l4SingleMatch), sourceLabels and sourceNamespace do not count on a gateway's L4 routes.
     */
    private boolean l4Applies(L4MatchAttributes m, ListenerKey key, Bound b, boolean vsBound, String vsNamespace) {
        if (m.port() != 0 && m.port() != key.port()) {
            return false;
        }
        if (!m.gateways().isEmpty()) {
            return m.gateways().stream()
                    .anyMatch(g -> HostNames.resolveGatewayName(g, vsNamespace).equals(b.gatewayName()));
        }
        return vsBound;
    }

    /** The per-connection part of a block; null (with a note) when a subnet is not an IP or CIDR. */
    private L4Candidate candidate(String where, L4MatchAttributes m, SniRoute r) {
        List<Cidr> dst = new ArrayList<>();
        for (String d : m.destinationSubnets()) {
            Cidr c = Cidr.parse(d);
            if (c == null) {
                notes.add(where + ".destinationSubnets: '" + d + "' is not an IP address or CIDR; match skipped");
                return null;
            }
            dst.add(c);
        }
        Cidr src = null;
        if (m.sourceSubnet() != null && !m.sourceSubnet().isEmpty()) {
            src = Cidr.parse(m.sourceSubnet());
            if (src == null) {
                notes.add(where + ".sourceSubnet: '" + m.sourceSubnet() + "' is not an IP address or CIDR;"
                        + " match skipped");
                return null;
            }
        }
        return new L4Candidate(dst, src, r);
    }

    private CredentialSpec credential(String where, ServerTLSSettings tls) {
        if (tls.caCertCredentialName() != null && !tls.caCertCredentialName().isEmpty()) {
            notes.add(where + ": tls.caCertCredentialName is not supported; the CA of the credential is used");
        }
        String name = tls.credentialName();
        if ((name == null || name.isEmpty()) && !tls.credentialNames().isEmpty()) {
            name = tls.credentialNames().get(0);
            if (tls.credentialNames().size() > 1) {
                notes.add(where + ": tls.credentialNames: only the first (" + name + ") is served");
            }
        }
        if (name != null && !name.isEmpty()) {
            return new CredentialSpec.Named(instanceNamespace, name);
        }
        String cert = tls.serverCertificate();
        String key = tls.privateKey();
        if ((cert == null || cert.isEmpty()) && !tls.tlsCertificates().isEmpty()) {
            TLSCertificate c = tls.tlsCertificates().get(0);
            cert = c.serverCertificate();
            key = c.privateKey();
            if (tls.tlsCertificates().size() > 1) {
                notes.add(where + ": tls.tlsCertificates: only the first is served");
            }
        }
        if (cert == null || cert.isEmpty() || key == null || key.isEmpty()) {
            notes.add(where + ": tls.mode " + tls.mode() + " needs credentialName or serverCertificate and"
                    + " privateKey; server skipped");
            return null;
        }
        return new CredentialSpec.Files(new CredentialFiles(cert, key, emptyToNull(tls.caCertificates()),
                emptyToNull(tls.caCrl())));
    }

    private PassthroughPlan passthroughPort(ListenerKey key, List<Bound> servers) {
        SniMatcher<SniRoute> matcher = new SniMatcher<>();
        List<String> claimed = new ArrayList<>();
        List<PassthroughPlan.Conditional> conditional = new ArrayList<>();
        List<Resource<VirtualService>> vss = RouteCompiler.orderedVirtualServices(snapshot, instanceNamespace);
        for (Bound b : servers) {
            Set<String> before = new HashSet<>(claimed);
            for (Resource<VirtualService> vs : vss) {
                List<String> serverHosts = serverHosts(b, vs.namespace());
                List<String> vsHosts = new ArrayList<>();
                for (String h : vs.spec().hosts()) {
                    vsHosts.add(HostNames.resolveShortName(h, vs.namespace()));
                }
                if (HostNames.intersection(serverHosts, vsHosts).isEmpty()) {
                    continue;
                }
                boolean vsBound = vs.spec().gatewaysOrDefault().stream()
                        .anyMatch(g -> HostNames.resolveGatewayName(g, vs.namespace()).equals(b.gatewayName()));
                int i = 0;
                for (TLSRoute route : vs.spec().tls()) {
                    String name = vs.displayName() + " spec.tls[" + i++ + "]";
                    SniRoute compiled = null;
                    for (TLSMatchAttributes m : route.match()) {
                        boolean bound = m.gateways().isEmpty() ? vsBound : m.gateways().stream()
                                .anyMatch(g -> HostNames.resolveGatewayName(g, vs.namespace()).equals(b.gatewayName()));
                        if (!bound || (m.port() != 0 && m.port() != key.port())) {
                            continue;
                        }
                        List<String> sni = new ArrayList<>();
                        for (String h : m.sniHosts()) {
                            sni.add(h.toLowerCase(Locale.ROOT));
                        }
                        List<String> hosts = HostNames.intersection(sni, serverHosts);
                        if (hosts.isEmpty()) {
                            continue;
                        }
                        if (compiled == null) {
                            compiled = route(name, vs.namespace(), route.route());
                            if (compiled == null) {
                                break;
                            }
                        }
                        if (!m.destinationSubnets().isEmpty()) {
                            L4Candidate c = candidate(name, new L4MatchAttributes(m.destinationSubnets(), 0, null,
                                    Map.of(), List.of(), null), compiled);
                            SniMatcher<Boolean> sniOf = new SniMatcher<>();
                            boolean any = false;
                            for (String h : hosts) {
                                // an earlier unconditional claim of the same SNI makes this block unreachable
                                if (!claimed.contains(h)) {
                                    any |= sniOf.add(h, Boolean.TRUE);
                                }
                            }
                            if (c != null && any) {
                                conditional.add(new PassthroughPlan.Conditional(sniOf, c));
                            }
                            continue;
                        }
                        for (String h : hosts) {
                            if (matcher.add(h, compiled)) {
                                claimed.add(h);
                            } else if (!before.contains(h)) {
                                notes.add(name + ": SNI " + h + " on port " + key + " is already routed by an earlier"
                                        + " tls route; ignored (Envoy drops duplicate filter chain matches)");
                            }
                        }
                    }
                }
            }
        }
        if (claimed.isEmpty() && conditional.isEmpty()) {
            notes.add("passthrough port " + key + " has no VirtualService tls route; every connection is closed (NR)");
        }
        return new PassthroughPlan(key, matcher, claimed, conditional);
    }

    private SniRoute route(String name, String vsNamespace, List<RouteDestination> dests) {
        List<SniRoute.Destination> out = new ArrayList<>();
        for (RouteDestination d : dests) {
            if (d.destination() == null || d.destination().host() == null) {
                continue;
            }
            int weight = dests.size() == 1 ? 1 : d.weight();
            if (weight <= 0) {
                continue;
            }
            int port = d.destination().port() == null ? 0 : d.destination().port().number();
            out.add(new SniRoute.Destination(new ClusterKey(HostNames.resolveShortName(d.destination().host(),
                    vsNamespace), Objects.requireNonNullElse(d.destination().subset(), ""), port), weight));
        }
        if (out.isEmpty()) {
            notes.add(name + ": no destination with a positive weight; route skipped");
            return null;
        }
        return new SniRoute(name, out);
    }

    /** The server hosts a VirtualService in {@code vsNamespace} may use, without their namespace part. */
    private static List<String> serverHosts(Bound b, String vsNamespace) {
        List<String> out = new ArrayList<>();
        for (String h : b.server().hosts()) {
            int slash = h.indexOf('/');
            String ns = slash < 0 ? "*" : h.substring(0, slash);
            String name = (slash < 0 ? h : h.substring(slash + 1)).toLowerCase(Locale.ROOT);
            if (ns.equals(".")) {
                ns = b.gatewayNamespace();
            }
            if ((vsNamespace == null || ns.equals("*") || ns.equals(vsNamespace)) && !out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    private static List<String> sniHosts(Server s) {
        List<String> out = new ArrayList<>();
        for (String h : s.hosts()) {
            int slash = h.indexOf('/');
            String name = (slash < 0 ? h : h.substring(slash + 1)).toLowerCase(Locale.ROOT);
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}

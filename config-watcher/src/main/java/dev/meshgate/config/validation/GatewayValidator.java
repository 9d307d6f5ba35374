package dev.meshgate.config.validation;

import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.networking.Gateway;
import dev.meshgate.config.model.networking.Port;
import dev.meshgate.config.model.networking.Protocol;
import dev.meshgate.config.model.networking.Server;
import dev.meshgate.config.model.networking.ServerTLSSettings;
import dev.meshgate.config.model.networking.ServerTLSSettings.TLSProtocol;
import dev.meshgate.config.model.networking.ServerTLSSettings.TLSmode;
import dev.meshgate.config.model.networking.TLSCertificate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Gateway rules of Istio's {@code ValidateGateway}: servers, ports, hosts, bind and server TLS. */
final class GatewayValidator implements KindValidator<Gateway> {

    static final String UNIX_PREFIX = "unix://";

    /** The OpenSSL cipher names Istio accepts (pkg/config/security). */
    static final Set<String> CIPHER_SUITES = Set.of(
            "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
            "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
            "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES256-SHA",
            "AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA", "AES256-SHA", "DES-CBC3-SHA");

    @Override
    public Class<Gateway> specType() {
        return Gateway.class;
    }

    @Override
    public void validate(Resource<Gateway> resource, FieldContext spec) {
        Gateway gw = resource.spec();
        if (resource.name() != null && !HostNames.isLowerDnsLabel(resource.name())) {
            // VirtualServices name gateways as ns/name, so a dot in the name could never be referenced
            spec.top().error("metadata.name", "invalid Gateway name \"" + resource.name()
                    + "\": must be a DNS-1123 label (lower case, no dots)");
        }
        Checks.labels(spec.field("selector"), gw.selector());
        if (gw.servers().isEmpty()) {
            spec.error("servers", "at least one server is required");
            return;
        }
        Map<String, Integer> portNames = new HashMap<>();
        for (int i = 0; i < gw.servers().size(); i++) {
            Server server = gw.servers().get(i);
            FieldContext at = spec.field("servers").index(i);
            validateServer(server, at);
            Port port = server.port();
            if (port != null && !Checks.isBlank(port.name())) {
                Integer first = portNames.putIfAbsent(port.name(), i);
                if (first != null) {
                    at.field("port").error("name", "duplicate port name \"" + port.name()
                            + "\" (also used by spec.servers[" + first + "]); port names must be unique in a Gateway");
                }
            }
        }
    }

    private static void validateServer(Server server, FieldContext at) {
        if (server.hosts().isEmpty()) {
            at.error("hosts", "at least one host is required");
        }
        for (int h = 0; h < server.hosts().size(); h++) {
            String problem = gatewayHostProblem(server.hosts().get(h));
            if (problem != null) {
                at.field("hosts").index(h).error(problem);
            }
        }
        String bind = server.bind();
        boolean unix = bind != null && bind.startsWith(UNIX_PREFIX);
        Port port = server.port();
        boolean portOk = validatePort(port, unix, at.field("port"));
        if (unix) {
            String problem = Checks.unixAddressProblem(bind.substring(UNIX_PREFIX.length()));
            if (problem != null) {
                at.error("bind", problem);
            }
        } else if (!Checks.isBlank(bind) && !HostNames.isIp(bind)) {
            at.error("bind", "\"" + bind + "\" is not an IP address or a unix:// path");
        }
        ServerTLSSettings tls = server.tls();
        if (portOk && port.protocol() != null) {
            Protocol p = port.protocol();
            if (p.isTls() && tls == null) {
                at.error("tls", "is required for " + protocolName(p) + " servers");
            } else if (!p.isTls() && tls != null) {
                boolean onlyRedirect = (tls.mode() == TLSmode.PASSTHROUGH || tls.mode() == TLSmode.AUTO_PASSTHROUGH)
                        && Checks.isBlank(tls.serverCertificate()) && Checks.isBlank(tls.privateKey())
                        && Checks.isBlank(tls.caCertificates()) && Checks.isBlank(tls.credentialName());
                if (!p.isHttp()) {
                    at.error("tls", "a " + protocolName(p) + " server cannot have TLS settings; use protocol HTTPS or TLS");
                } else if (!onlyRedirect) {
                    at.error("tls", "a plain-text " + protocolName(p)
                            + " server can only use httpsRedirect; certificates need protocol HTTPS");
                }
            }
            if (tls != null && tls.httpsRedirect() && !p.isHttp()) {
                at.field("tls").warn("httpsRedirect", "only applies to HTTP servers");
            }
        }
        if (tls != null) {
            validateServerTls(tls, at.field("tls"), port != null && port.protocol() != null && port.protocol().isTls());
        }
    }

    private static boolean validatePort(Port port, boolean unixBind, FieldContext at) {
        if (port == null) {
            at.error("is required");
            return false;
        }
        boolean ok = true;
        if (unixBind) {
            if (port.number() != 0) {
                at.error("number", "must be 0 when binding a unix domain socket");
                ok = false;
            }
        } else if (port.number() < 1 || port.number() > 65535) {
            Checks.port(at.field("number"), port.number());
            ok = false;
        }
        if (port.protocol() == null) {
            at.error("protocol", "is required");
            ok = false;
        }
        if (Checks.isBlank(port.name())) {
            at.error("name", "is required");
        }
        if (port.targetPort() > 0) {
            at.error("targetPort", "has no effect on a Gateway; remove it (the server binds port.number)");
        }
        return ok;
    }

    /** {@code [namespace/]dnsName}: namespace {@code *}, {@code .} or a name; FQDN, wildcard, {@code *} or IP. */
    static String gatewayHostProblem(String host) {
        if (Checks.isBlank(host)) {
            return "host must not be empty";
        }
        String dns = host;
        int slash = host.indexOf('/');
        if (slash >= 0) {
            String ns = host.substring(0, slash);
            dns = host.substring(slash + 1);
            if (ns.isEmpty() || dns.isEmpty()) {
                return "host \"" + host + "\": namespace and DNS name must not be empty";
            }
            if (!ns.equals("*") && !ns.equals(".") && !HostNames.isLowerDnsLabel(ns)) {
                return "host \"" + host + "\": invalid namespace \"" + ns + "\" (use a namespace name, \".\" or \"*\")";
            }
        }
        if (HostNames.isIp(dns)) {
            return null;
        }
        if (!dns.equals("*") && !dns.contains(".")) {
            return "host \"" + host + "\": short names are not allowed in Gateway hosts; use a fully-qualified name";
        }
        String problem = HostNames.checkWildcardDomain(dns);
        if (problem == null && HostNames.isPartialWildcard(dns)) {
            return "host \"" + host + "\": partial wildcard \"" + dns + "\" is not allowed; use \"*.\" as the left-most label";
        }
        return problem;
    }

    /** Shared with Sidecar ingress listeners. {@code tlsPort}: the server's protocol is HTTPS or TLS. */
    static void validateServerTls(ServerTLSSettings tls, FieldContext at, boolean tlsPort) {
        if ((tls.minProtocolVersion() == TLSProtocol.TLSV1_0 || tls.minProtocolVersion() == TLSProtocol.TLSV1_1)
                && tls.cipherSuites().isEmpty()) {
            at.warn("minProtocolVersion", "TLS versions below 1.2 need cipherSuites that they support; "
                    + "the default cipher list has none");
        }
        if (tls.maxProtocolVersion() != TLSProtocol.TLS_AUTO && tls.minProtocolVersion() != TLSProtocol.TLS_AUTO
                && tls.minProtocolVersion().compareTo(tls.maxProtocolVersion()) > 0) {
            at.error("minProtocolVersion", "must not be above maxProtocolVersion (" + tls.maxProtocolVersion() + ")");
        }
        Set<String> invalid = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        Set<String> dup = new LinkedHashSet<>();
        for (String c : tls.cipherSuites()) {
            if (!CIPHER_SUITES.contains(c)) {
                invalid.add(c);
            } else if (!seen.add(c)) {
                dup.add(c);
            }
        }
        if (!invalid.isEmpty()) {
            at.warn("cipherSuites", "ignoring unsupported cipher suites " + invalid);
        }
        if (!dup.isEmpty()) {
            at.warn("cipherSuites", "ignoring duplicate cipher suites " + dup);
        }

        boolean files = !Checks.isBlank(tls.serverCertificate()) || !Checks.isBlank(tls.privateKey());
        boolean cred = !Checks.isBlank(tls.credentialName());
        boolean creds = !tls.credentialNames().isEmpty();
        boolean certs = !tls.tlsCertificates().isEmpty();
        TLSmode mode = tls.mode();

        if (mode == TLSmode.ISTIO_MUTUAL) {
            for (String[] f : new String[][] {
                    {"serverCertificate", tls.serverCertificate()}, {"privateKey", tls.privateKey()},
                    {"caCertificates", tls.caCertificates()}, {"credentialName", tls.credentialName()}}) {
                if (!Checks.isBlank(f[1])) {
                    at.error(f[0], "must not be set with mode ISTIO_MUTUAL (it uses the workload's Istio identity)");
                }
            }
            return;
        }
        if (mode == TLSmode.PASSTHROUGH || mode == TLSmode.AUTO_PASSTHROUGH) {
            if (tlsPort && (files || cred || creds || certs || !Checks.isBlank(tls.caCertificates())
                    || !Checks.isBlank(tls.caCrl()))) {
                at.warn("mode", mode + " does not terminate TLS; the certificate settings are ignored");
            }
            return;
        }
        int sources = (files ? 1 : 0) + (cred ? 1 : 0) + (creds ? 1 : 0) + (certs ? 1 : 0);
        if (sources > 1) {
            List<String> names = new ArrayList<>();
            if (files) {
                names.add("serverCertificate/privateKey");
            }
            if (cred) {
                names.add("credentialName");
            }
            if (creds) {
                names.add("credentialNames");
            }
            if (certs) {
                names.add("tlsCertificates");
            }
            at.error("only one certificate source may be set, found " + String.join(", ", names));
        }
        if (tls.credentialNames().size() > 2) {
            at.error("credentialNames", "at most 2 entries (one RSA and one ECDSA certificate)");
        }
        if (tls.tlsCertificates().size() > 2) {
            at.error("tlsCertificates", "at most 2 entries (one RSA and one ECDSA certificate)");
        }
        for (int i = 0; i < tls.tlsCertificates().size(); i++) {
            TLSCertificate c = tls.tlsCertificates().get(i);
            FieldContext ci = at.field("tlsCertificates").index(i);
            if (Checks.isBlank(c.serverCertificate())) {
                ci.error("serverCertificate", "is required");
            }
            if (Checks.isBlank(c.privateKey())) {
                ci.error("privateKey", "is required");
            }
        }
        boolean mutual = mode == TLSmode.MUTUAL || mode == TLSmode.OPTIONAL_MUTUAL;
        if (cred || creds) {
            if (!Checks.isBlank(tls.caCrl())) {
                at.error("caCrl", "is not supported with credentialName; put the CRL into the secret");
            }
            return;
        }
        if (!certs) {
            if (Checks.isBlank(tls.serverCertificate())) {
                at.error("serverCertificate", "is required for mode " + mode + " unless credentialName is set");
            }
            if (Checks.isBlank(tls.privateKey())) {
                at.error("privateKey", "is required for mode " + mode + " unless credentialName is set");
            }
        }
        if (mutual && Checks.isBlank(tls.caCertificates()) && Checks.isBlank(tls.caCertCredentialName())) {
            at.error("caCertificates", "is required for mode " + mode + " unless credentialName is set");
        }
        if (!Checks.isBlank(tls.caCrl()) && mode == TLSmode.SIMPLE) {
            at.error("caCrl", "is not supported with mode SIMPLE (no client certificates are requested)");
        }
    }

    static String protocolName(Protocol p) {
        return p == Protocol.GRPC_WEB ? "GRPC-WEB" : p.name();
    }
}

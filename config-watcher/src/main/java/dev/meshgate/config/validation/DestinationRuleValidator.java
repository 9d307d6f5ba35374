package dev.meshgate.config.validation;

import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.networking.ClientTLSSettings;
import dev.meshgate.config.model.networking.ConnectionPoolSettings;
import dev.meshgate.config.model.networking.ConsistentHashLB;
import dev.meshgate.config.model.networking.DestinationRule;
import dev.meshgate.config.model.networking.Distribute;
import dev.meshgate.config.model.networking.Failover;
import dev.meshgate.config.model.networking.HTTPSettings;
import dev.meshgate.config.model.networking.LoadBalancerSettings;
import dev.meshgate.config.model.networking.LocalityLoadBalancerSetting;
import dev.meshgate.config.model.networking.OutlierDetection;
import dev.meshgate.config.model.networking.PortTrafficPolicy;
import dev.meshgate.config.model.networking.Subset;
import dev.meshgate.config.model.networking.TCPSettings;
import dev.meshgate.config.model.networking.TrafficPolicy;
import dev.meshgate.config.model.networking.TunnelSettings;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** DestinationRule rules of Istio's {@code ValidateDestinationRule} and the traffic-policy validators. */
final class DestinationRuleValidator implements KindValidator<DestinationRule> {

    /** Maglev table sizes must be prime and below this (Envoy's limit). */
    static final long MAGLEV_MAX_TABLE_SIZE = 5_000_011L;

    @Override
    public Class<DestinationRule> specType() {
        return DestinationRule.class;
    }

    @Override
    public void validate(Resource<DestinationRule> resource, FieldContext spec) {
        DestinationRule dr = resource.spec();
        if (Checks.isBlank(dr.host())) {
            spec.error("host", "is required");
        } else {
            String problem = HostNames.checkWildcardDomain(dr.host());
            if (problem != null) {
                spec.error("host", problem);
            }
        }
        trafficPolicy(spec.field("trafficPolicy"), dr.trafficPolicy());
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < dr.subsets().size(); i++) {
            Subset s = dr.subsets().get(i);
            FieldContext si = spec.field("subsets").index(i);
            if (Checks.isBlank(s.name())) {
                si.error("name", "is required");
            } else {
                if (!HostNames.isDnsLabel(s.name())) {
                    si.error("name", "invalid subset name \"" + s.name() + "\": must be a DNS-1123 label");
                }
                Integer first = names.putIfAbsent(s.name(), i);
                if (first != null) {
                    si.error("name", "duplicate subset name \"" + s.name() + "\" (also spec.subsets[" + first + "])");
                }
            }
            Checks.labels(si.field("labels"), s.labels());
            trafficPolicy(si.field("trafficPolicy"), s.trafficPolicy());
        }
        NetworkingRules.exportTo(spec.field("exportTo"), resource.namespace(), dr.exportTo(), false);
        if (dr.workloadSelector() != null) {
            FieldContext ws = spec.field("workloadSelector");
            if (dr.workloadSelector().labels().isEmpty()) {
                ws.warn("selects no labels, so it applies to every workload in the namespace");
            }
            Checks.labels(ws.field("labels"), dr.workloadSelector().labels());
            List<String> ex = dr.exportTo();
            boolean onlyOwn = ex.isEmpty() || (ex.size() == 1
                    && (ex.get(0).equals(".") || ex.get(0).equals(resource.namespace())));
            if (!onlyOwn) {
                spec.error("exportTo", "a DestinationRule with a workloadSelector can only be exported to its own "
                        + "namespace");
            }
        }
    }

    static void trafficPolicy(FieldContext at, TrafficPolicy p) {
        if (p == null) {
            return;
        }
        if (p.loadBalancer() == null && p.connectionPool() == null && p.outlierDetection() == null
                && p.tls() == null && p.portLevelSettings().isEmpty() && p.tunnel() == null
                && p.proxyProtocol() == null && p.retryBudget() == null) {
            at.error("must set at least one field");
            return;
        }
        if (p.tunnel() != null && p.proxyProtocol() != null) {
            at.error("only one of tunnel or proxyProtocol may be set");
        }
        outlier(at.field("outlierDetection"), p.outlierDetection());
        connectionPool(at.field("connectionPool"), p.connectionPool());
        loadBalancer(at.field("loadBalancer"), p.loadBalancer(), p.outlierDetection());
        clientTls(at.field("tls"), p.tls());
        tunnel(at.field("tunnel"), p.tunnel());
        if (p.retryBudget() != null) {
            FieldContext rb = at.field("retryBudget");
            Checks.percentage(rb.field("percent"), p.retryBudget().percent());
            Checks.nonNegative(rb.field("minRetryConcurrency"), p.retryBudget().minRetryConcurrency());
            if (p.retryBudget().budgetInterval().isNegative()) {
                rb.error("budgetInterval", "must not be negative");
            }
        }
        Map<Integer, Integer> ports = new HashMap<>();
        for (int i = 0; i < p.portLevelSettings().size(); i++) {
            PortTrafficPolicy pp = p.portLevelSettings().get(i);
            FieldContext pi = at.field("portLevelSettings").index(i);
            if (pp.port() == null) {
                pi.error("port", "is required");
            } else {
                Checks.port(pi.field("port").field("number"), pp.port().number());
                Integer first = ports.putIfAbsent(pp.port().number(), i);
                if (first != null) {
                    pi.field("port").error("number", "port " + pp.port().number()
                            + " already has settings in " + at.path() + ".portLevelSettings[" + first + "]");
                }
            }
            if (pp.loadBalancer() == null && pp.connectionPool() == null && pp.outlierDetection() == null
                    && pp.tls() == null) {
                pi.error("must set at least one of loadBalancer, connectionPool, outlierDetection or tls");
                continue;
            }
            outlier(pi.field("outlierDetection"), pp.outlierDetection());
            connectionPool(pi.field("connectionPool"), pp.connectionPool());
            loadBalancer(pi.field("loadBalancer"), pp.loadBalancer(), pp.outlierDetection());
            clientTls(pi.field("tls"), pp.tls());
        }
    }

    static void outlier(FieldContext at, OutlierDetection o) {
        if (o == null) {
            return;
        }
        Checks.duration(at.field("baseEjectionTime"), o.baseEjectionTime());
        Checks.duration(at.field("interval"), o.interval());
        if (o.consecutiveErrors() != 0) {
            at.warn("consecutiveErrors", "is deprecated; use consecutive5xxErrors or consecutiveGatewayErrors");
        }
        if (!o.splitExternalLocalOriginErrors() && o.consecutiveLocalOriginFailures() != null
                && o.consecutiveLocalOriginFailures() > 0) {
            at.error("consecutiveLocalOriginFailures", "has no effect unless splitExternalLocalOriginErrors is true");
        }
        Checks.nonNegative(at.field("consecutive5xxErrors"), o.consecutive5xxErrors());
        Checks.nonNegative(at.field("consecutiveGatewayErrors"), o.consecutiveGatewayErrors());
        Checks.percent(at.field("maxEjectionPercent"), o.maxEjectionPercent());
        Checks.percent(at.field("minHealthPercent"), o.minHealthPercent());
        for (int i = 0; i < o.outlierDetectionHttpErrorCodes().size(); i++) {
            Integer code = o.outlierDetectionHttpErrorCodes().get(i);
            if (code == null || code < 100 || code > 599) {
                at.field("outlierDetectionHttpErrorCodes").index(i).error("HTTP status " + code
                        + " must be in the range 100..599");
            }
        }
    }

    static void connectionPool(FieldContext at, ConnectionPoolSettings cp) {
        if (cp == null) {
            return;
        }
        if (cp.tcp() == null && cp.http() == null) {
            at.error("must set at least one of tcp or http");
            return;
        }
        HTTPSettings h = cp.http();
        if (h != null) {
            FieldContext hc = at.field("http");
            Checks.nonNegative(hc.field("http1MaxPendingRequests"), h.http1MaxPendingRequests());
            Checks.nonNegative(hc.field("http2MaxRequests"), h.http2MaxRequests());
            Checks.nonNegative(hc.field("maxRequestsPerConnection"), h.maxRequestsPerConnection());
            Checks.nonNegative(hc.field("maxRetries"), h.maxRetries());
            Checks.nonNegative(hc.field("maxConcurrentStreams"), h.maxConcurrentStreams());
            Checks.duration(hc.field("idleTimeout"), h.idleTimeout());
            if (h.h2UpgradePolicy() == HTTPSettings.H2UpgradePolicy.UPGRADE && h.useClientProtocol()) {
                hc.error("useClientProtocol", "cannot be true when h2UpgradePolicy is UPGRADE");
            }
            if (h.http2KeepAlive() != null) {
                Checks.duration(hc.field("http2KeepAlive").field("interval"), h.http2KeepAlive().interval());
                Checks.duration(hc.field("http2KeepAlive").field("timeout"), h.http2KeepAlive().timeout());
            }
        }
        TCPSettings t = cp.tcp();
        if (t != null) {
            FieldContext tc = at.field("tcp");
            Checks.nonNegative(tc.field("maxConnections"), t.maxConnections());
            Checks.duration(tc.field("connectTimeout"), t.connectTimeout());
            Checks.duration(tc.field("maxConnectionDuration"), t.maxConnectionDuration());
            // idleTimeout 0s is Istio's documented way to disable the idle timeout
            if (t.idleTimeout() != null && !t.idleTimeout().isZero()) {
                Checks.duration(tc.field("idleTimeout"), t.idleTimeout());
            }
            if (t.tcpKeepalive() != null) {
                FieldContext ka = tc.field("tcpKeepalive");
                Checks.nonNegative(ka.field("probes"), t.tcpKeepalive().probes());
                Checks.duration(ka.field("time"), t.tcpKeepalive().time());
                Checks.duration(ka.field("interval"), t.tcpKeepalive().interval());
            }
        }
    }

    static void loadBalancer(FieldContext at, LoadBalancerSettings lb, OutlierDetection outlier) {
        if (lb == null) {
            return;
        }
        if (lb.simple() != null && lb.consistentHash() != null) {
            at.error("only one of simple or consistentHash may be set");
        }
        if (lb.simple() == LoadBalancerSettings.SimpleLB.LEAST_CONN) {
            at.warn("simple", "LEAST_CONN is deprecated; use LEAST_REQUEST");
        }
        ConsistentHashLB ch = lb.consistentHash();
        if (ch != null) {
            FieldContext c = at.field("consistentHash");
            if (ch.hashKeysSet() > 1) {
                c.error("only one of httpHeaderName, httpCookie, useSourceIp or httpQueryParameterName may be set");
            } else if (ch.hashKeysSet() == 0) {
                c.warn("no hash key (httpHeaderName, httpCookie, useSourceIp or httpQueryParameterName) is set, "
                        + "so requests are spread as if at random");
            }
            if (ch.httpCookie() != null) {
                if (Checks.isBlank(ch.httpCookie().name())) {
                    c.field("httpCookie").error("name", "is required");
                }
                if (ch.httpCookie().ttl() != null && ch.httpCookie().ttl().isNegative()) {
                    c.field("httpCookie").error("ttl", "must not be negative");
                }
            }
            if (ch.minimumRingSize() != null && ch.minimumRingSize() != 0) {
                c.warn("minimumRingSize", "is deprecated; use ringHash.minimumRingSize");
                if (ch.ringHash() != null || ch.maglev() != null) {
                    c.error("minimumRingSize", "cannot be combined with ringHash or maglev");
                }
            }
            if (ch.ringHash() != null && ch.maglev() != null) {
                c.error("only one of ringHash or maglev may be set");
            }
            if (ch.maglev() != null) {
                long size = ch.maglev().tableSize();
                if (size >= MAGLEV_MAX_TABLE_SIZE) {
                    c.field("maglev").error("tableSize", "must be less than " + MAGLEV_MAX_TABLE_SIZE);
                } else if (!isPrime(size)) {
                    c.field("maglev").error("tableSize", "must be a prime number (" + size + " is not)");
                }
            }
        }
        locality(at.field("localityLbSetting"), lb.localityLbSetting(), outlier);
        if (lb.warmupDurationSecs() != null) {
            at.warn("warmupDurationSecs", "is deprecated; use warmup.duration");
            Checks.duration(at.field("warmupDurationSecs"), lb.warmupDurationSecs());
        }
        if (lb.warmup() != null) {
            FieldContext w = at.field("warmup");
            if (lb.warmup().duration() == null) {
                w.error("duration", "is required");
            } else {
                Checks.duration(w.field("duration"), lb.warmup().duration());
            }
            Checks.percentage(w.field("minimumPercent"), lb.warmup().minimumPercent());
            if (lb.warmup().aggression() != null && lb.warmup().aggression() < 1.0) {
                w.error("aggression", "must be >= 1.0");
            }
        }
    }

    private static final java.util.Set<String> TOPOLOGY_LABELS = java.util.Set.of("topology.kubernetes.io/region",
            "topology.kubernetes.io/zone", "topology.istio.io/subzone");

    private static void locality(FieldContext at, LocalityLoadBalancerSetting l, OutlierDetection outlier) {
        if (l == null) {
            return;
        }
        int kinds = (l.distribute().isEmpty() ? 0 : 1) + (l.failover().isEmpty() ? 0 : 1);
        if (kinds > 1) {
            at.error("only one of distribute or failover may be set");
            return;
        }
        if (!l.failover().isEmpty()) {
            // Istio: region failover and a topology label in failoverPriority would rank localities twice
            for (int i = 0; i < l.failoverPriority().size(); i++) {
                String key = l.failoverPriority().get(i);
                key = key.indexOf('=') < 0 ? key : key.substring(0, key.indexOf('='));
                if (TOPOLOGY_LABELS.contains(key)) {
                    at.field("failoverPriority").index(i).error("cannot be the topology label '" + key
                            + "' when failover is also set");
                }
            }
        }
        for (int i = 0; i < l.distribute().size(); i++) {
            Distribute d = l.distribute().get(i);
            FieldContext di = at.field("distribute").index(i);
            long total = 0;
            for (Map.Entry<String, Integer> e : d.to().entrySet()) {
                int w = e.getValue() == null ? 0 : e.getValue();
                if (w < 1 || w > 100) {
                    di.field("to").key(e.getKey()).error("locality weight must be in the range 1..100");
                }
                total += w;
                localityName(di.field("to").key(e.getKey()), e.getKey());
            }
            if (total != 100) {
                di.error("to", "locality weights must add up to 100 (they add up to " + total + ")");
            }
            localityName(di.field("from"), d.from());
        }
        for (int i = 0; i < l.failover().size(); i++) {
            Failover f = l.failover().get(i);
            FieldContext fi = at.field("failover").index(i);
            if (f.from() != null && f.from().equals(f.to())) {
                fi.error("from and to must be different regions");
            }
            if ((f.from() != null && f.from().contains("/")) || (f.to() != null && f.to().contains("/"))) {
                fi.error("failover names regions only (no zone or subzone)");
            }
            if ((f.from() != null && f.from().contains("*")) || (f.to() != null && f.to().contains("*"))) {
                fi.error("failover regions cannot contain '*'");
            }
        }
        if ((!l.failover().isEmpty() || !l.failoverPriority().isEmpty()) && outlier == null) {
            at.warn("failover only takes effect with outlierDetection; none is set");
        }
    }

    private static void localityName(FieldContext at, String locality) {
        if (locality == null) {
            at.error("locality is required");
            return;
        }
        long stars = locality.chars().filter(c -> c == '*').count();
        if (stars > 1 || (stars == 1 && !locality.endsWith("*"))) {
            at.error("locality \"" + locality + "\": a '*' may only appear once, at the end");
        }
        for (String part : locality.split("/", -1)) {
            if (part.isEmpty()) {
                at.error("locality \"" + locality + "\" has an empty region, zone or subzone");
                return;
            }
        }
    }

    static void clientTls(FieldContext at, ClientTLSSettings tls) {
        if (tls == null) {
            return;
        }
        ClientTLSSettings.TLSmode mode = tls.mode();
        if (tls.insecureSkipVerifyOrDefault()) {
            if (mode == ClientTLSSettings.TLSmode.SIMPLE && (!Checks.isBlank(tls.caCertificates())
                    || !Checks.isBlank(tls.credentialName()) || !tls.subjectAltNames().isEmpty())) {
                at.error("insecureSkipVerify", "cannot be combined with caCertificates, credentialName or "
                        + "subjectAltNames");
            }
            if (mode == ClientTLSSettings.TLSmode.MUTUAL && (!Checks.isBlank(tls.caCertificates())
                    || !tls.subjectAltNames().isEmpty())) {
                at.error("insecureSkipVerify", "cannot be combined with caCertificates or subjectAltNames");
            }
        }
        boolean simpleOrMutual = mode == ClientTLSSettings.TLSmode.SIMPLE || mode == ClientTLSSettings.TLSmode.MUTUAL;
        if (simpleOrMutual && !Checks.isBlank(tls.credentialName())) {
            if (!Checks.isBlank(tls.clientCertificate()) || !Checks.isBlank(tls.privateKey())
                    || !Checks.isBlank(tls.caCertificates()) || !Checks.isBlank(tls.caCrl())) {
                at.error("credentialName", "cannot be combined with clientCertificate, privateKey, caCertificates "
                        + "or caCrl (the secret provides them)");
            }
            return;
        }
        if (mode == ClientTLSSettings.TLSmode.MUTUAL) {
            if (Checks.isBlank(tls.clientCertificate())) {
                at.error("clientCertificate", "is required for mode MUTUAL unless credentialName is set");
            }
            if (Checks.isBlank(tls.privateKey())) {
                at.error("privateKey", "is required for mode MUTUAL unless credentialName is set");
            }
        }
    }

    private static void tunnel(FieldContext at, TunnelSettings t) {
        if (t == null) {
            return;
        }
        if (!t.protocol().equals("CONNECT") && !t.protocol().equals("POST")) {
            at.error("protocol", "must be CONNECT or POST");
        }
        if (Checks.isBlank(t.targetHost())) {
            at.error("targetHost", "is required");
        } else if (!HostNames.isIp(t.targetHost()) && HostNames.checkFqdn(t.targetHost()) != null) {
            at.error("targetHost", "\"" + t.targetHost() + "\" is not a host name or an IP address");
        }
        if (t.targetPort() == 0) {
            at.error("targetPort", "is required");
        } else {
            Checks.port(at.field("targetPort"), t.targetPort());
        }
    }

    /** Envoy's primality test for Maglev table sizes. */
    static boolean isPrime(long x) {
        if (x < 2) {
            return false;
        }
        if (x < 4) {
            return true;
        }
        if ((x & 1) == 0) {
            return false;
        }
        for (long f = 3; f * f <= x; f += 2) {
            if (x % f == 0) {
                return false;
            }
        }
        return true;
    }
}

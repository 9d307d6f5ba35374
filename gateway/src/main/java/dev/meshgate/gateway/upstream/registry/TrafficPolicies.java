package dev.meshgate.gateway.upstream.registry;

import dev.meshgate.config.model.networking.Attribute;
import dev.meshgate.config.model.networking.ConnectionPoolSettings;
import dev.meshgate.config.model.networking.ConsistentHashLB;
import dev.meshgate.config.model.networking.HTTPCookie;
import dev.meshgate.config.model.networking.LoadBalancerSettings;
import dev.meshgate.config.model.networking.PortTrafficPolicy;
import dev.meshgate.config.model.networking.TrafficPolicy;
import dev.meshgate.gateway.upstream.cluster.ClusterPolicy;
import dev.meshgate.gateway.upstream.cluster.LbPolicy;
import dev.meshgate.gateway.upstream.cluster.OutlierPolicy;
import dev.meshgate.gateway.upstream.cluster.Keepalive;
import dev.meshgate.gateway.upstream.cluster.PoolLimits;
import dev.meshgate.gateway.upstream.cluster.RetryBudgetLimit;
import dev.meshgate.gateway.upstream.cluster.TlsOrigination;
import dev.meshgate.config.model.networking.ClientTLSSettings;
import dev.meshgate.gateway.upstream.lb.HashPolicy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Istio's MergeTrafficPolicy and the compilation of the result into a {@link ClusterPolicy}. */
public final class TrafficPolicies {

    private TrafficPolicies() {
    }

    /**
     * The effective policy for one port of one subset: the DR's top-level policy with its matching
     * portLevelSettings entry replacing (not merging) loadBalancer/connectionPool/outlierDetection/tls, then the
     * subset's policy overriding field by field, then the subset's own matching portLevelSettings entry.
     */
    public static TrafficPolicy effective(TrafficPolicy top, TrafficPolicy subset, int port) {
        TrafficPolicy base = applyPort(top, port);
        if (subset == null) {
            return base;
        }
        TrafficPolicy merged = base == null ? subset : new TrafficPolicy(
                subset.loadBalancer() != null ? subset.loadBalancer() : base.loadBalancer(),
                subset.connectionPool() != null ? subset.connectionPool() : base.connectionPool(),
                subset.outlierDetection() != null ? subset.outlierDetection() : base.outlierDetection(),
                subset.tls() != null ? subset.tls() : base.tls(),
                subset.portLevelSettings(),
                subset.tunnel() != null ? subset.tunnel() : base.tunnel(),
                subset.proxyProtocol() != null ? subset.proxyProtocol() : base.proxyProtocol(),
                subset.retryBudget() != null ? subset.retryBudget() : base.retryBudget());
        return applyPort(merged, port);
    }

    private static TrafficPolicy applyPort(TrafficPolicy p, int port) {
        if (p == null) {
            return null;
        }
        for (PortTrafficPolicy pl : p.portLevelSettings()) {
            if (pl.port() != null && pl.port().number() == port) {
                // port-level settings do not inherit: absent fields fall back to the defaults
                return new TrafficPolicy(pl.loadBalancer(), pl.connectionPool(), pl.outlierDetection(), pl.tls(),
                        java.util.List.of(), p.tunnel(), p.proxyProtocol(), p.retryBudget());
            }
        }
        return p.portLevelSettings().isEmpty() ? p : new TrafficPolicy(p.loadBalancer(), p.connectionPool(),
                p.outlierDetection(), p.tls(), java.util.List.of(), p.tunnel(), p.proxyProtocol(), p.retryBudget());
    }

    public static ClusterPolicy compile(TrafficPolicy p) {
        return compile(p, OriginationCredentials.NONE);
    }

    public static ClusterPolicy compile(TrafficPolicy p, OriginationCredentials credentials) {
        if (p == null) {
            return ClusterPolicy.DEFAULT;
        }
        ConnectionPoolSettings cp = p.connectionPool();
        return new ClusterPolicy(loadBalancer(p.loadBalancer()), connectTimeout(cp), idleTimeout(cp),
                PoolLimits.of(cp, RetryBudgetLimit.of(p.retryBudget())), OutlierPolicy.of(p.outlierDetection()),
                tls(p.tls(), credentials), cp == null || cp.tcp() == null ? null : Keepalive.of(cp.tcp().tcpKeepalive()),
                tcpIdleTimeout(cp));
    }

    /**
     * SIMPLE and MUTUAL origination. ISTIO_MUTUAL needs Istio's workload certificates, which a standalone gateway
     * does not have: it is treated as DISABLE. File paths in the rule win over credentialName's files.
     */
    static TlsOrigination tls(ClientTLSSettings t, OriginationCredentials credentials) {
        if (t == null || (t.mode() != ClientTLSSettings.TLSmode.SIMPLE && t.mode() != ClientTLSSettings.TLSmode.MUTUAL)) {
            return null;
        }
        String cert = t.clientCertificate();
        String key = t.privateKey();
        String ca = t.caCertificates();
        String ref = null;
        boolean mutual = t.mode() == ClientTLSSettings.TLSmode.MUTUAL;
        if (t.credentialName() != null && !t.credentialName().isEmpty()) {
            // a credential source (Secrets): used when the rule's own file paths do not already say it all
            ref = credentials.ref(t.credentialName());
            if (ref != null && (mutual ? cert != null && key != null : ca != null)) {
                ref = null;
            }
            String[] files = credentials.resolve(t.credentialName());
            cert = cert != null ? cert : files[0];
            key = key != null ? key : files[1];
            ca = ca != null ? ca : files[2];
        }
        return new TlsOrigination(mutual, cert, key, ca,
                t.sni() == null || t.sni().isEmpty() ? null : t.sni(), t.subjectAltNames(),
                t.insecureSkipVerifyOrDefault(), ref);
    }

    static LbPolicy loadBalancer(LoadBalancerSettings lb) {
        if (lb == null) {
            return LbPolicy.DEFAULT;
        }
        ConsistentHashLB ch = lb.consistentHash();
        if (ch != null) {
            HashPolicy hash = hashPolicy(ch);
            if (ch.maglev() != null) {
                return new LbPolicy.ConsistentHash(hash, true, ch.maglev().tableSize());
            }
            return new LbPolicy.ConsistentHash(hash, false, ch.ringHashOrDefault().minimumRingSize());
        }
        return new LbPolicy.Simple(switch (lb.effectiveSimple()) {
            case ROUND_ROBIN -> LbPolicy.SimpleLb.ROUND_ROBIN;
            case RANDOM -> LbPolicy.SimpleLb.RANDOM;
            case PASSTHROUGH -> LbPolicy.SimpleLb.PASSTHROUGH;
            default -> LbPolicy.SimpleLb.LEAST_REQUEST;
        });
    }

    /** Null when no key is set (validation rejects it; the balancer then picks a random point per request). */
    static HashPolicy hashPolicy(ConsistentHashLB ch) {
        if (ch.httpHeaderName() != null) {
            return new HashPolicy.Header(ch.httpHeaderName().toLowerCase(java.util.Locale.ROOT));
        }
        if (ch.httpCookie() != null) {
            HTTPCookie c = ch.httpCookie();
            Map<String, String> attrs = new LinkedHashMap<>();
            for (Attribute a : c.attributes()) {
                attrs.put(a.name(), a.value());
            }
            return new HashPolicy.Cookie(c.name(), c.path(), c.ttl(), attrs);
        }
        if (Boolean.TRUE.equals(ch.useSourceIp())) {
            return new HashPolicy.SourceIp();
        }
        if (ch.httpQueryParameterName() != null) {
            return new HashPolicy.QueryParameter(ch.httpQueryParameterName());
        }
        return null;
    }

    static Duration connectTimeout(ConnectionPoolSettings cp) {
        return cp == null ? ClusterPolicy.DEFAULT_CONNECT_TIMEOUT : cp.tcpOrDefault().connectTimeout();
    }

    /** Envoy's TCP proxy idle_timeout: tcp.idleTimeout (default 1h); http.idleTimeout does not apply to it. */
    static Duration tcpIdleTimeout(ConnectionPoolSettings cp) {
        return cp == null ? ClusterPolicy.DEFAULT_IDLE_TIMEOUT : cp.tcpOrDefault().idleTimeout();
    }

    static Duration idleTimeout(ConnectionPoolSettings cp) {
        if (cp == null) {
            return ClusterPolicy.DEFAULT_IDLE_TIMEOUT;
        }
        if (cp.http() != null) {
            return cp.http().idleTimeout();
        }
        return cp.tcpOrDefault().idleTimeout();
    }
}

package dev.meshgate.gateway.upstream.cluster;

import java.util.HashSet;
import java.util.Set;

/**
 * Envoy's outlier detection for one cluster, driven by the results of tries (no timer): consecutive 5xx, gateway
 * errors (502/503/504) and local-origin failures (connect failures, resets, timeouts) eject a host for
 * baseEjectionTime times its ejection count, within maxEjectionPercent; the count decays by one per interval
 * without an ejection. Below minHealthPercent healthy hosts the cluster is in panic and ejections are ignored.
 * Ejection decisions are serialised on the cluster's stats; the request path reads volatile fields only.
 */
public final class OutlierDetector {

    private OutlierDetector() {
    }

    /** An HTTP response from the host. */
    public static void onResponse(Cluster cluster, Host host, int status) {
        OutlierPolicy p = cluster.policy().outlier();
        if (p == null) {
            return;
        }
        HostStats s = host.stats();
        if (p.splitExternalLocalOriginErrors()) {
            s.consecutiveLocalOrigin.set(0);
        }
        if (status >= 500 && status < 600) {
            boolean gateway = status == 502 || status == 503 || status == 504;
            if (gateway && p.consecutiveGatewayErrors() > 0
                    && s.consecutiveGateway.incrementAndGet() >= p.consecutiveGatewayErrors()) {
                eject(cluster, host, p);
                return;
            }
            if (p.consecutive5xxErrors() > 0 && s.consecutive5xx.incrementAndGet() >= p.consecutive5xxErrors()) {
                eject(cluster, host, p);
            }
        } else {
            s.consecutive5xx.set(0);
            s.consecutiveGateway.set(0);
        }
    }

    /** A connect failure, reset or timeout before any response: a local-origin error. */
    public static void onLocalOriginFailure(Cluster cluster, Host host) {
        OutlierPolicy p = cluster.policy().outlier();
        if (p == null) {
            return;
        }
        if (p.splitExternalLocalOriginErrors()) {
            if (p.consecutiveLocalOriginFailures() > 0
                    && host.stats().consecutiveLocalOrigin.incrementAndGet() >= p.consecutiveLocalOriginFailures()) {
                eject(cluster, host, p);
            }
        } else {
            // without the split, Envoy maps local-origin errors to 503: they count as 5xx and as gateway errors
            onResponse(cluster, host, 503);
        }
    }

    private static void eject(Cluster cluster, Host host, OutlierPolicy p) {
        HostStats s = host.stats();
        ClusterStats cs = cluster.stats();
        synchronized (cs) {
            long now = System.nanoTime();
            s.consecutive5xx.set(0);
            s.consecutiveGateway.set(0);
            s.consecutiveLocalOrigin.set(0);
            if (s.ejected(now)) {
                return;
            }
            int ejected = 0;
            for (Host h : cluster.hosts()) {
                if (h.stats().ejected(now)) {
                    ejected++;
                }
            }
            // Envoy: eject only while (ejected + 1) / hosts stays within max_ejection_percent
            if (100.0 * (ejected + 1) / cluster.hosts().size() > p.maxEjectionPercent()) {
                return;
            }
            if (s.ejections > 0 && s.ejectedUntilNanos() != 0) {
                long quiet = now - s.ejectedUntilNanos();
                long intervals = p.interval().isZero() ? 0 : quiet / p.interval().toNanos();
                s.ejections = (int) Math.max(0, s.ejections - intervals);
            }
            s.ejections++;
            long nanos = Math.min(p.baseEjectionTime().toNanos() * s.ejections,
                    Math.max(p.baseEjectionTime().toNanos(), OutlierPolicy.MAX_EJECTION_TIME.toNanos()));
            long until = now + Math.max(1, nanos);
            s.ejectedUntilNanos(until);
            if (cs.ejectionHorizonNanos == 0 || until - cs.ejectionHorizonNanos > 0) {
                cs.ejectionHorizonNanos = until;
            }
            cs.ejectionsTotal().increment();
        }
    }

    /**
     * The hosts a try must avoid now: the ejected ones, or none when nothing is ejected or the cluster is in
     * panic. All hosts ejected without panic gives the full set (503 UH).
     */
    public static Set<Host> excluded(Cluster cluster) {
        OutlierPolicy p = cluster.policy().outlier();
        if (p == null) {
            return Set.of();
        }
        long now = System.nanoTime();
        long horizon = cluster.stats().ejectionHorizonNanos;
        if (horizon == 0 || now - horizon >= 0) {
            return Set.of();
        }
        Set<Host> out = null;
        for (Host h : cluster.hosts()) {
            if (h.stats().ejected(now)) {
                if (out == null) {
                    out = new HashSet<>(4);
                }
                out.add(h);
            }
        }
        if (out == null) {
            return Set.of();
        }
        double healthyPercent = 100.0 * (cluster.hosts().size() - out.size()) / cluster.hosts().size();
        if (p.minHealthPercent() > 0 && healthyPercent < p.minHealthPercent()) {
            return Set.of(); // panic: balance over every host
        }
        return out;
    }
}

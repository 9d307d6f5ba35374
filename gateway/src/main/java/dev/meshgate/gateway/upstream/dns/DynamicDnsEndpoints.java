package dev.meshgate.gateway.upstream.dns;

import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.exchange.ResponseFlag;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.Host;
import dev.meshgate.gateway.upstream.cluster.HostStats;
import dev.meshgate.gateway.upstream.forward.DynamicEndpoints;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.dns.DnsException;
import io.vertx.core.net.HostAndPort;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ServiceEntry {@code resolution: DYNAMIC_DNS} served like Envoy's dynamic forward proxy: the request's host
 * (its authority after rewrites, without port) is resolved through the {@link DnsResolver}'s server, and the call
 * goes to the first address on the entry port's targetPort (else its number). Answers are cached per name and
 * reused until they are {@code refreshRate} old; then the next request triggers a refresh in the background and
 * keeps using the last good answer meanwhile (a failed refresh keeps it too). A name that never resolved gets
 * Envoy's local reply: 503, flag DF, details {@code dns_resolution_failure{reason}}, body
 * {@code DNS resolution failure}; the failure is cached for {@code refreshRate} as well. Names unused for
 * {@link #HOST_TTL} are dropped; at most {@link #MAX_HOSTS} names are cached (Envoy's {@code dns_cache_overflow}).
 * A host outside the entry's wildcard is refused: a DYNAMIC_DNS entry is not an open proxy.
 */
public final class DynamicDnsEndpoints implements DynamicEndpoints {

    /** Envoy's DNS cache defaults: max_hosts 1024, host_ttl 5m. */
    static final int MAX_HOSTS = 1024;
    static final Duration HOST_TTL = Duration.ofMinutes(5);
    static final String DNS_FAILURE_BODY = "DNS resolution failure";

    private record Answer(List<String> ips, String failure, long atNanos) {
    }

    private static final class Entry {
        final String name;
        volatile Answer answer;
        volatile long lastUsedNanos;
        /** Guarded by this. */
        Future<Answer> inflight;

        Entry(String name) {
            this.name = name;
        }
    }

    /** A one-endpoint cluster for one address, built from the table's cluster it stands for. */
    private record Derived(Cluster source, Cluster cluster) {
    }

    private final Vertx vertx;
    private final DnsResolver dns;
    private final long refreshNanos;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final Map<String, Derived> derived = new ConcurrentHashMap<>();
    /** Cluster name -&gt; endpoint port, for the clusters of the table in force. */
    private volatile Map<String, Integer> ports = Map.of();
    private final long sweepTimer;

    /** @param dns the resolver, or null: the request's host goes to the upstream client as it is */
    public DynamicDnsEndpoints(Vertx vertx, DnsResolver dns, Duration refreshRate) {
        this.vertx = vertx;
        this.dns = dns;
        this.refreshNanos = Math.max(1, refreshRate.toNanos());
        this.sweepTimer = vertx.setPeriodic(Math.min(HOST_TTL.toMillis(), Math.max(1000, refreshRate.toMillis())),
                id -> sweep());
    }

    /** The DYNAMIC_DNS clusters of the table about to be published (cluster name -&gt; endpoint port). */
    public void clusters(Map<String, Integer> dynamicDnsPorts) {
        this.ports = dynamicDnsPorts;
    }

    @Override
    public boolean handles(Cluster cluster) {
        return ports.containsKey(cluster.name());
    }

    @Override
    public Future<Cluster> resolve(Exchange exchange, Cluster cluster) {
        return resolve(hostOf(exchange.authority()), cluster);
    }

    /**
     * The one-endpoint cluster for {@code name} (a host name without port) under this DYNAMIC_DNS cluster; fails
     * with a {@link Refusal}. Also used by the forward proxy for CONNECT tunnels.
     */
    public Future<Cluster> resolve(String name, Cluster cluster) {
        Integer port = ports.get(cluster.name());
        if (port == null || name == null) {
            return Future.failedFuture(new Refusal(503, ResponseFlag.DF, "dns_resolution_failure{no_host}",
                    DNS_FAILURE_BODY));
        }
        if (!covers(cluster.key().host(), name)) {
            return Future.failedFuture(new Refusal(502, ResponseFlag.NR, "egress_host_not_registered",
                    "egress refused: host \"" + name + "\" is not covered by the DYNAMIC_DNS ServiceEntry host \""
                            + cluster.key().host() + "\"\n"));
        }
        if (dns == null) {
            // no resolver configured: the upstream client resolves the name at connect time (failures are UF)
            return Future.succeededFuture(endpoint(cluster, name, port));
        }
        Entry e = cache.get(name);
        if (e == null) {
            if (cache.size() >= MAX_HOSTS) {
                return Future.failedFuture(new Refusal(503, null, "dns_cache_overflow", "DNS cache overflow"));
            }
            e = cache.computeIfAbsent(name, Entry::new);
        }
        long now = System.nanoTime();
        e.lastUsedNanos = now;
        Answer a = e.answer;
        if (a != null) {
            boolean stale = now - a.atNanos() >= refreshNanos;
            if (!a.ips().isEmpty()) {
                if (stale) {
                    refresh(e); // in the background: this request keeps the last good answer
                }
                return Future.succeededFuture(endpoint(cluster, a.ips().get(0), port));
            }
            if (!stale) {
                return Future.failedFuture(failure(a));
            }
        }
        Context ctx = Vertx.currentContext();
        Promise<Cluster> out = Promise.promise();
        refresh(e).onComplete(ar -> {
            Runnable done = () -> {
                Answer now2 = ar.succeeded() ? ar.result() : null;
                if (now2 == null || now2.ips().isEmpty()) {
                    out.fail(now2 == null ? failure(new Answer(List.of(), "resolve_failure", 0)) : failure(now2));
                } else {
                    out.complete(endpoint(cluster, now2.ips().get(0), port));
                }
            };
            // a resolution started by a request on another event loop completes there: come back to ours
            if (ctx == null || ctx == Vertx.currentContext()) {
                done.run();
            } else {
                ctx.runOnContext(v -> done.run());
            }
        });
        return out.future();
    }

    private static Refusal failure(Answer a) {
        return new Refusal(503, ResponseFlag.DF, "dns_resolution_failure{" + a.failure() + "}", DNS_FAILURE_BODY);
    }

    private Future<Answer> refresh(Entry e) {
        synchronized (e) {
            if (e.inflight != null) {
                return e.inflight;
            }
            Future<Answer> f = dns.resolveNow(e.name).transform(ar -> {
                long at = System.nanoTime();
                Answer before = e.answer;
                Answer next;
                if (ar.succeeded() && !ar.result().isEmpty()) {
                    next = new Answer(List.copyOf(ar.result()), null, at);
                } else {
                    String why = ar.succeeded() ? "no_records" : reason(ar.cause());
                    // keep serving the last good address, as Envoy's DNS cache does, and retry after a period
                    next = before != null && !before.ips().isEmpty() ? new Answer(before.ips(), null, at)
                            : new Answer(List.of(), why, at);
                }
                e.answer = next;
                synchronized (e) {
                    e.inflight = null;
                }
                return Future.succeededFuture(next);
            });
            if (!f.isComplete()) {
                e.inflight = f;
            }
            return f;
        }
    }

    private static String reason(Throwable t) {
        if (t instanceof DnsException d && d.code() != null) {
            return d.code().name().toLowerCase(Locale.ROOT);
        }
        String m = t == null ? null : t.getMessage();
        if (m != null && m.toLowerCase(Locale.ROOT).contains("timeout")) {
            return "resolve_timeout";
        }
        return "resolve_failure";
    }

    private Cluster endpoint(Cluster cluster, String ip, int port) {
        String key = cluster.name() + "|" + ip;
        Derived d = derived.get(key);
        if (d != null && d.source() == cluster) {
            return d.cluster();
        }
        HostStats stats = d == null ? null : d.cluster().hosts().get(0).stats();
        Cluster one = Cluster.build(cluster.key(), cluster.name(), cluster.protocol(), cluster.policy(),
                List.of(new Host(ip, port, 1, Map.of(), stats)), cluster.stats());
        derived.put(key, new Derived(cluster, one));
        return one;
    }

    /** {@code *.example.com} covers any name below {@code example.com}; an exact entry host only itself. */
    static boolean covers(String entryHost, String name) {
        String h = entryHost.toLowerCase(Locale.ROOT);
        return h.startsWith("*.") ? name.endsWith(h.substring(1)) : h.equals(name);
    }

    /** The authority's host, lower case, without port, brackets or a trailing dot; null when empty. */
    static String hostOf(String authority) {
        if (authority == null || authority.isEmpty()) {
            return null;
        }
        HostAndPort hp = HostAndPort.parseAuthority(authority, -1);
        String h = hp == null ? authority : hp.host();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h.isEmpty() ? null : h.toLowerCase(Locale.ROOT);
    }

    private void sweep() {
        long now = System.nanoTime();
        long ttl = HOST_TTL.toNanos();
        cache.values().removeIf(e -> now - e.lastUsedNanos > ttl);
        if (derived.size() > 4 * MAX_HOSTS) {
            derived.clear(); // rebuilt on demand; only the per-address counters start over
        }
    }

    /** Names cached now (tests, admin). */
    public int cachedNames() {
        return cache.size();
    }

    public void close() {
        vertx.cancelTimer(sweepTimer);
    }
}

package dev.meshgate.gateway.upstream.dns;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.dns.DnsClient;
import io.vertx.core.dns.DnsClientOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Resolves ServiceEntry DNS names asynchronously with Vert.x's DNS client (A and AAAA), keeps the answers in a
 * table the cluster compiler reads, refreshes every name each refresh period (Istio's dnsRefreshRate, 60s), and
 * keeps the last good answer when the server fails or answers nothing. Calls {@code onChange} (on a Vert.x
 * thread) whenever an answer differs from the one in the table.
 */
public final class DnsResolver {

    private static final Logger LOG = Logger.getLogger(DnsResolver.class.getName());

    private final DnsClient client;
    private final Runnable onChange;
    private final Map<String, List<String>> answers = new ConcurrentHashMap<>();
    private final Set<String> watched = ConcurrentHashMap.newKeySet();
    private final Vertx vertx;
    private final long timer;

    /**
     * @param server      resolver host (an IP) and port
     * @param refreshRate how often every name is resolved again
     */
    public DnsResolver(Vertx vertx, String serverHost, int serverPort, Duration refreshRate, Runnable onChange) {
        this.vertx = vertx;
        this.client = vertx.createDnsClient(new DnsClientOptions().setHost(serverHost).setPort(serverPort)
                .setQueryTimeout(2000).setRecursionDesired(true));
        this.onChange = onChange;
        this.timer = vertx.setPeriodic(Math.max(1, refreshRate.toMillis()), id -> refreshAll());
    }

    /** The last good answer for a name (A records, then AAAA), or null before the first one. */
    public List<String> lookup(String name) {
        return answers.get(name);
    }

    /** Starts resolving names not seen before; known names are refreshed on the timer. */
    public void watch(Set<String> names) {
        for (String n : names) {
            if (watched.add(n)) {
                resolve(n);
            }
        }
    }

    /** Resolves every watched name now (also what the refresh timer does). */
    public Future<Void> refreshAll() {
        List<Future<?>> all = new ArrayList<>();
        for (String n : watched) {
            all.add(resolve(n));
        }
        return Future.join(all).mapEmpty();
    }

    /**
     * Resolves a name once, without watching it: A records, then AAAA, in answer order. Fails with the A query's
     * error when neither query answers; an empty list means the server knows no address for the name.
     */
    public Future<List<String>> resolveNow(String name) {
        Future<List<String>> a = client.resolveA(name);
        Future<List<String>> aaaa = client.resolveAAAA(name);
        return Future.join(a, aaaa).transform(ar -> {
            if (a.failed() && aaaa.failed()) {
                return Future.failedFuture(a.cause());
            }
            List<String> ips = new ArrayList<>();
            if (a.succeeded() && a.result() != null) {
                ips.addAll(a.result());
            }
            if (aaaa.succeeded() && aaaa.result() != null) {
                ips.addAll(aaaa.result());
            }
            return Future.succeededFuture(ips);
        });
    }

    private Future<Void> resolve(String name) {
        Future<List<String>> a = client.resolveA(name).otherwise(t -> null);
        Future<List<String>> aaaa = client.resolveAAAA(name).otherwise(t -> null);
        return Future.join(a, aaaa).transform(ar -> {
            List<String> v4 = a.result();
            List<String> v6 = aaaa.result();
            List<String> ips = new ArrayList<>();
            if (v4 != null) {
                ips.addAll(v4);
            }
            if (v6 != null) {
                ips.addAll(v6);
            }
            if (ips.isEmpty()) {
                // failure or no records: keep serving the last good answer (Envoy keeps the hosts too)
                LOG.fine("dns: no answer for " + name + ", keeping " + answers.get(name));
                return Future.succeededFuture();
            }
            List<String> sorted = ips.stream().sorted().toList();
            List<String> before = answers.put(name, sorted);
            if (!sorted.equals(before)) {
                onChange.run();
            }
            return Future.succeededFuture();
        });
    }

    public Future<Void> close() {
        vertx.cancelTimer(timer);
        return client.close();
    }
}

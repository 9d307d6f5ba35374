package dev.meshgate.gateway.upstream;

import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.route.ForwardAction;
import dev.meshgate.gateway.route.WeightedDestination;
import dev.meshgate.gateway.upstream.cluster.ClusterTable;
import dev.meshgate.gateway.upstream.forward.ForwardingCore;
import dev.meshgate.gateway.upstream.dns.DnsResolver;
import dev.meshgate.gateway.upstream.dns.DynamicDnsEndpoints;
import dev.meshgate.gateway.upstream.registry.ClusterCompiler;
import dev.meshgate.gateway.upstream.registry.OriginationCredentials;
import dev.meshgate.gateway.upstream.registry.OriginationKeys;
import dev.meshgate.gateway.upstream.registry.ServiceEntrySource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;

/**
 * The upstream side of the data plane: compiles each snapshot's registry (ServiceEntry, WorkloadEntry) and
 * DestinationRules into a {@link ClusterTable}, and forwards requests. Called concurrently from every event loop:
 * the table is one volatile immutable reference (requests in flight keep the table they started with), upstream
 * clients are per event loop, and nothing on the request path takes a lock.
 */
public final class UpstreamManager implements Forwarder {

    private final ClusterCompiler compiler;
    private final ForwardingCore core;
    private volatile ClusterTable table = ClusterTable.EMPTY;
    private final DnsResolver dns;
    private final DynamicDnsEndpoints dynamic;
    /** Rotating TLS origination credentials, polled like the edge's (--credentials-dir: every 2s). */
    private final OriginationKeys keys;
    static final java.time.Duration ORIGINATION_POLL = java.time.Duration.ofSeconds(2);
    private final OriginationCredentials credentials;
    /** The last applied snapshot: recompiled when a DNS answer changes. */
    private ConfigSnapshot last;

    public UpstreamManager(Vertx vertx) {
        this(vertx, UpstreamOptions.DEFAULT);
    }

    public UpstreamManager(Vertx vertx, UpstreamOptions options) {
        this.dns = options.dnsServer() == null ? null : new DnsResolver(vertx, dnsHost(options.dnsServer()),
                dnsPort(options.dnsServer()), options.dnsRefreshRate(), this::recompile);
        ServiceEntrySource.DnsAnswers answers = dns == null ? null : new ServiceEntrySource.DnsAnswers() {
            @Override
            public List<String> lookup(String name) {
                return dns.lookup(name);
            }

            @Override
            public void need(java.util.Set<String> names) {
                dns.watch(names);
            }
        };
        this.credentials = new OriginationCredentials(options.credentialsDir(), options.gatewayNamespace());
        this.compiler = new ClusterCompiler(List.of(new ServiceEntrySource(answers, options.gatewayNamespace())),
                options.gatewayNamespace(),
                options.rootNamespace(), credentials,
                options.proxyLocality());
        this.dynamic = new DynamicDnsEndpoints(vertx, dns, options.dnsRefreshRate());
        this.keys = new OriginationKeys(vertx, ORIGINATION_POLL);
        this.core = new ForwardingCore(vertx, options.forward(), options.registryOnly(), dynamic, keys);
    }

    /** Applies a new snapshot atomically. Not for concurrent callers (the config pipeline applies in order). */
    public synchronized void apply(ConfigSnapshot snapshot) {
        this.last = snapshot;
        publish(compiler.compileAll(snapshot, table));
    }

    private synchronized void recompile() {
        if (last != null) {
            publish(compiler.compileAll(last, table));
        }
    }

    private void publish(ClusterCompiler.Compiled compiled) {
        // DYNAMIC_DNS clusters are known by name before the table that holds them is visible
        dynamic.clusters(compiled.dynamicDnsPorts());
        keys.watch(compiled.table());
        this.table = compiled.table();
    }

    /**
     * DestinationRule {@code tls.credentialName} is read from this source (the Kubernetes Secret source of
     * {@code --kubernetes}, the one the edge uses) instead of the credentials directory, rotations included. Call
     * before the first snapshot is applied.
     */
    public void originationSource(dev.meshgate.cert.CredentialSource source) {
        credentials.useSource();
        keys.source(source);
    }

    /** The watched TLS origination credentials (rotation without a config change). */
    public OriginationKeys originationKeys() {
        return keys;
    }

    /** Whether this cluster's endpoint is found per request (ServiceEntry DYNAMIC_DNS). */
    public boolean resolvesPerRequest(dev.meshgate.gateway.upstream.cluster.Cluster cluster) {
        return dynamic.handles(cluster);
    }

    /**
     * For a DYNAMIC_DNS cluster: a one-endpoint cluster for {@code host} (resolved through the DNS resolver, cached),
     * or a failed future whose message says why.
     */
    public Future<dev.meshgate.gateway.upstream.cluster.Cluster> resolvePerRequest(String host,
            dev.meshgate.gateway.upstream.cluster.Cluster cluster) {
        return dynamic.resolve(host, cluster);
    }

    /** The DNS resolver of ServiceEntry names, or null when none is configured. */
    public DnsResolver dns() {
        return dns;
    }

    private static String dnsHost(String server) {
        int colon = server.lastIndexOf(':');
        String h = colon > 0 && server.indexOf(':') == colon ? server.substring(0, colon) : server;
        return h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
    }

    private static int dnsPort(String server) {
        int colon = server.lastIndexOf(':');
        return colon > 0 && server.indexOf(':') == colon ? Integer.parseInt(server.substring(colon + 1)) : 53;
    }

    /** The clusters now in force (for the admin API's {@code /clusters} and for tests). */
    public ClusterTable clusters() {
        return table;
    }

    @Override
    public void forward(Exchange exchange, ForwardAction action, WeightedDestination destination) {
        core.forward(table, exchange, action, destination);
    }

    /** Egress refusals by host (hosts no ServiceEntry registers), for metrics and the admin API. */
    public java.util.Map<String, Long> refusedHosts() {
        return core.refusedHosts();
    }

    /** Closes every upstream client. */
    public Future<Void> close() {
        dynamic.close();
        keys.close();
        if (dns != null) {
            return Future.join(dns.close(), core.close()).mapEmpty();
        }
        return core.close();
    }
}

package dev.meshgate.cli;

import dev.meshgate.config.store.hazelcast.ClusterOptions;
import dev.meshgate.config.store.hazelcast.DnsServerResolver;
import picocli.CommandLine.Option;

/** The clustered-config flags of {@code run}. Without {@code --cluster} nothing of Hazelcast starts. */
public final class ClusterFlags {

    @Option(names = "--cluster", description = "Share the API layer with the other replicas (embedded Hazelcast).")
    boolean enabled;

    @Option(names = "--cluster-members", paramLabel = "HOST:PORT[,...]",
            description = "Other replicas to join (TCP/IP); one reachable member is enough.")
    String members;

    @Option(names = "--cluster-dns", paramLabel = "NAME",
            description = "A DNS name resolving to every replica (a headless Service), instead of --cluster-members.")
    String dns;

    @Option(names = "--cluster-dns-server", paramLabel = "HOST:PORT",
            description = "DNS server that resolves --cluster-dns, asked on every discovery round. Default: the "
                    + "system resolver (cached by the JVM for 30s). --dns-server does not apply to it.")
    String dnsServer;

    @Option(names = "--cluster-port", paramLabel = "PORT", defaultValue = "" + ClusterOptions.DEFAULT_PORT,
            description = "Member port (default: ${DEFAULT-VALUE}).")
    int port = ClusterOptions.DEFAULT_PORT;

    @Option(names = "--cluster-bind", paramLabel = "ADDRESS",
            description = "IP address the member binds and advertises (default: chosen by Hazelcast).")
    String bind;

    @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = ClusterOptions.DEFAULT_CLUSTER_NAME,
            description = "Replicas with the same name form one cluster (default: ${DEFAULT-VALUE}).")
    String name = ClusterOptions.DEFAULT_CLUSTER_NAME;

    @Option(names = "--cluster-backups", paramLabel = "N", defaultValue = "" + ClusterOptions.DEFAULT_BACKUP_COUNT,
            description = "Synchronous backups of each resource: replicas that may fail at once without losing "
                    + "anything (default: ${DEFAULT-VALUE}).")
    int backups = ClusterOptions.DEFAULT_BACKUP_COUNT;

    public boolean enabled() {
        return enabled;
    }

    /** @throws IllegalArgumentException naming the flag when the flags do not fit together */
    public ClusterOptions toOptions() {
        if (!enabled) {
            if (members != null || dns != null || dnsServer != null) {
                throw new IllegalArgumentException("--cluster-members, --cluster-dns and --cluster-dns-server need "
                        + "--cluster");
            }
            return null;
        }
        if (members != null && dns != null) {
            throw new IllegalArgumentException("--cluster-members and --cluster-dns: give one of them");
        }
        if (dnsServer != null) {
            if (dns == null) {
                throw new IllegalArgumentException("--cluster-dns-server needs --cluster-dns");
            }
            try {
                DnsServerResolver.parse(dnsServer);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--cluster-dns-server: " + e.getMessage(), e);
            }
        }
        try {
            return new ClusterOptions(name, bind, port, 1, ClusterOptions.parseMembers(members), dns, backups,
                    dnsServer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--cluster: " + e.getMessage(), e);
        }
    }
}

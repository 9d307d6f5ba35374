package dev.meshgate.config.store.hazelcast;

import java.util.List;

/**
 * How this replica joins the others ({@code meshgate run --cluster}).
 *
 * @param clusterName replicas with the same name form one cluster
 * @param bindHost    the address Hazelcast binds and advertises (an IP); null lets Hazelcast choose an interface
 * @param port        the member port; the first free one of {@code port..port+portCount-1} is used
 * @param portCount   1 to use exactly {@code port}
 * @param members     {@code host[:port]} of other replicas (TCP/IP join); empty with {@code dnsName}
 * @param dnsName     a name resolving to every replica, e.g. a headless Service; null with {@code members}
 * @param backupCount synchronous backups of each entry: how many replicas may be lost at once without losing data
 * @param dnsServer   {@code host:port} of the DNS server that resolves {@code dnsName}; null for the system resolver
 */
public record ClusterOptions(String clusterName, String bindHost, int port, int portCount, List<String> members,
                             String dnsName, int backupCount, String dnsServer) {

    public static final String DEFAULT_CLUSTER_NAME = "meshgate";
    public static final int DEFAULT_PORT = 5701;
    public static final int DEFAULT_BACKUP_COUNT = 1;

    public ClusterOptions {
        clusterName = clusterName == null || clusterName.isBlank() ? DEFAULT_CLUSTER_NAME : clusterName;
        bindHost = bindHost == null || bindHost.isBlank() ? null : bindHost;
        members = members == null ? List.of() : List.copyOf(members);
        dnsName = dnsName == null || dnsName.isBlank() ? null : dnsName;
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("cluster port " + port + " is not a port");
        }
        portCount = Math.max(1, portCount);
        if (!members.isEmpty() && dnsName != null) {
            throw new IllegalArgumentException("give either a member list or a DNS name, not both");
        }
        if (backupCount < 1 || backupCount > 6) {
            throw new IllegalArgumentException("backup count " + backupCount + " must be between 1 and 6");
        }
        dnsServer = dnsServer == null || dnsServer.isBlank() ? null : dnsServer.trim();
        if (dnsServer != null) {
            if (dnsName == null) {
                throw new IllegalArgumentException("a DNS server is only used with a DNS name");
            }
            DnsServerResolver.parse(dnsServer); // throws naming the value
        }
    }

    /** Without a DNS server: a DNS name is resolved by the system. */
    public ClusterOptions(String clusterName, String bindHost, int port, int portCount, List<String> members,
                          String dnsName, int backupCount) {
        this(clusterName, bindHost, port, portCount, members, dnsName, backupCount, null);
    }

    /** How {@link #dnsName()} is resolved. */
    public NameResolver resolver() {
        return dnsServer == null ? NameResolver.system() : DnsServerResolver.parse(dnsServer);
    }

    /** Members on loopback only (tests): this replica on {@code port}, the others at the given ports. */
    public static ClusterOptions loopback(String clusterName, int port, List<Integer> memberPorts) {
        return new ClusterOptions(clusterName, "127.0.0.1", port, 1,
                memberPorts.stream().map(p -> "127.0.0.1:" + p).toList(), null, DEFAULT_BACKUP_COUNT);
    }

    /** Parses {@code host:port,host:port} (a bare host means the default port). */
    public static List<String> parseMembers(String spec) {
        if (spec == null || spec.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(spec.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}

package dev.meshgate.config.store.hazelcast;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

/**
 * How {@code --cluster-dns} turns the replicas' name into addresses, once per discovery round: the JVM's resolver
 * (the system's, as every other lookup of the process) or a given DNS server ({@code --cluster-dns-server}).
 */
@FunctionalInterface
public interface NameResolver {

    /** Every address the name has now; empty when it has none (NXDOMAIN or no records). */
    List<InetAddress> resolve(String name) throws IOException;

    /**
     * The JVM's resolver ({@link InetAddress#getAllByName}): /etc/hosts, /etc/resolv.conf and its search domains. The
     * JVM keeps answers for {@code networkaddress.cache.ttl} (30 s by default), so a new replica may be found up to
     * that much later.
     */
    static NameResolver system() {
        return name -> {
            try {
                return List.of(InetAddress.getAllByName(name));
            } catch (java.net.UnknownHostException e) {
                return List.of();
            }
        };
    }
}

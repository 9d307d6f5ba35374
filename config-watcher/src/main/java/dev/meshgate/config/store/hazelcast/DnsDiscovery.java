package dev.meshgate.config.store.hazelcast;

import com.hazelcast.cluster.Address;
import com.hazelcast.config.properties.PropertyDefinition;
import com.hazelcast.logging.ILogger;
import com.hazelcast.spi.discovery.AbstractDiscoveryStrategy;
import com.hazelcast.spi.discovery.DiscoveryNode;
import com.hazelcast.spi.discovery.DiscoveryStrategy;
import com.hazelcast.spi.discovery.DiscoveryStrategyFactory;
import com.hazelcast.spi.discovery.SimpleDiscoveryNode;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * {@code --cluster-dns}: every address the name resolves to, at the cluster port, is a replica to try. Hazelcast asks
 * on every join attempt and every split-brain search, so replicas started later are found and a healed split is
 * noticed. Resolution goes through a {@link NameResolver}: the system's, or a DNS server given by flag. (Hazelcast's
 * own DNS mode of its Kubernetes discovery always uses the JVM resolver, which Java 17 cannot point at a server.)
 */
public final class DnsDiscovery implements DiscoveryStrategyFactory {

    private final String name;
    private final int port;
    private final NameResolver resolver;

    public DnsDiscovery(String name, int port, NameResolver resolver) {
        this.name = name;
        this.port = port;
        this.resolver = resolver;
    }

    public String name() {
        return name;
    }

    public NameResolver resolver() {
        return resolver;
    }

    /** The members to try now; empty (and a warning) when the name does not resolve. */
    List<DiscoveryNode> discover(ILogger log) {
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(name);
        } catch (IOException e) {
            log.warning("cluster DNS name " + name + ": " + e.getMessage());
            return List.of();
        }
        if (addresses.isEmpty()) {
            log.warning("cluster DNS name " + name + " resolves to no address");
        }
        List<DiscoveryNode> out = new ArrayList<>();
        for (InetAddress a : addresses) {
            out.add(new SimpleDiscoveryNode(new Address(a, port)));
        }
        return out;
    }

    @Override
    public Class<? extends DiscoveryStrategy> getDiscoveryStrategyType() {
        return Strategy.class;
    }

    @Override
    public DiscoveryStrategy newDiscoveryStrategy(DiscoveryNode local, ILogger logger,
                                                  Map<String, Comparable> properties) {
        return new Strategy(this, logger, properties);
    }

    @Override
    public Collection<PropertyDefinition> getConfigurationProperties() {
        return List.of(); // everything comes from the flags, through this factory
    }

    /** The strategy instance Hazelcast drives. */
    static final class Strategy extends AbstractDiscoveryStrategy {

        private final DnsDiscovery discovery;

        Strategy(DnsDiscovery discovery, ILogger logger, Map<String, Comparable> properties) {
            super(logger, properties);
            this.discovery = discovery;
        }

        @Override
        public Iterable<DiscoveryNode> discoverNodes() {
            return discovery.discover(getLogger());
        }
    }
}

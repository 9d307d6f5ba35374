package dev.meshgate.gateway.upstream;

import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.ObjectMeta;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.networking.DestinationRule;
import dev.meshgate.config.model.networking.LoadBalancerSettings;
import dev.meshgate.config.model.networking.Protocol;
import dev.meshgate.config.model.networking.ServiceEntry;
import dev.meshgate.config.model.networking.ServicePort;
import dev.meshgate.config.model.networking.Subset;
import dev.meshgate.config.model.networking.TrafficPolicy;
import dev.meshgate.config.model.networking.WorkloadEntry;
import dev.meshgate.config.model.networking.WorkloadSelector;
import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.gateway.exchange.HeaderOps;
import dev.meshgate.gateway.route.ClusterKey;
import dev.meshgate.gateway.route.WeightedDestination;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builders for the Istio resources the upstream tests feed through a real ConfigSnapshot. */
final class Fixtures {

    private Fixtures() {
    }

    static ConfigSnapshot snapshot(Resource<?>... resources) {
        return new ConfigSnapshot(1, "test", List.of(resources), Instant.now());
    }

    static <S extends Record> Resource<S> resource(Kind kind, String ns, String name, S spec) {
        return new Resource<>("networking.istio.io/v1", kind, new ObjectMeta(name, ns, Map.of(), Map.of(), null, null, null),
                spec, null);
    }

    static ServicePort port(int number, String name, Protocol protocol) {
        return new ServicePort(number, protocol, name, 0);
    }

    static WorkloadEntry endpoint(String address, int port, Map<String, String> labels) {
        return new WorkloadEntry(address, Map.of("http", port, "grpc", port, "http2", port), labels, null, null, 0, null);
    }

    /** A STATIC ServiceEntry with one HTTP port 80 whose endpoints listen on the given local ports. */
    static Resource<ServiceEntry> staticService(String ns, String host, int... endpointPorts) {
        return staticService(ns, host, port(80, "http", Protocol.HTTP), endpointPorts);
    }

    static Resource<ServiceEntry> staticService(String ns, String host, ServicePort port, int... endpointPorts) {
        List<WorkloadEntry> eps = new ArrayList<>();
        for (int i = 0; i < endpointPorts.length; i++) {
            eps.add(new WorkloadEntry("127.0.0.1", Map.of(port.name(), endpointPorts[i]),
                    Map.of("idx", Integer.toString(i)), null, null, 0, null));
        }
        ServiceEntry se = new ServiceEntry(List.of(host), List.of(), List.of(port), ServiceEntry.Location.MESH_INTERNAL,
                ServiceEntry.Resolution.STATIC, eps, null, List.of(), List.of());
        return resource(Kind.SERVICE_ENTRY, ns, host.replace('.', '-'), se);
    }

    static Resource<ServiceEntry> selectorService(String ns, String host, List<ServicePort> ports, Map<String, String> selector) {
        ServiceEntry se = new ServiceEntry(List.of(host), List.of(), ports, ServiceEntry.Location.MESH_INTERNAL,
                ServiceEntry.Resolution.STATIC, List.of(), new WorkloadSelector(selector), List.of(), List.of());
        return resource(Kind.SERVICE_ENTRY, ns, host.replace('.', '-'), se);
    }

    static Resource<DestinationRule> rule(String ns, String name, String host, TrafficPolicy policy, Subset... subsets) {
        return resource(Kind.DESTINATION_RULE, ns, name, new DestinationRule(host, policy, List.of(subsets), List.of(), null));
    }

    static TrafficPolicy lb(LoadBalancerSettings.SimpleLB simple) {
        return new TrafficPolicy(new LoadBalancerSettings(simple, null, null, null, null, null), null, null, null,
                null, null, null, null);
    }

    static TrafficPolicy lb(LoadBalancerSettings settings) {
        return new TrafficPolicy(settings, null, null, null, null, null, null, null);
    }

    static WeightedDestination dest(String host) {
        return dest(host, "", 0);
    }

    static WeightedDestination dest(String host, String subset, int port) {
        return new WeightedDestination(new ClusterKey(host, subset, port), 1, HeaderOps.NONE, HeaderOps.NONE, null);
    }
}

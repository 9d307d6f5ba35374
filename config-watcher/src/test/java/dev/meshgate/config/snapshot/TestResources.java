package dev.meshgate.config.snapshot;

import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.ObjectMeta;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.SourceRef;
import dev.meshgate.config.model.networking.Gateway;
import dev.meshgate.config.model.networking.VirtualService;

import java.util.List;
import java.util.Map;

/** Small resources built in code, for the snapshot tests (no loader involved). */
final class TestResources {

    private TestResources() {
    }

    static Resource<VirtualService> vs(String ns, String name, String host, String file, int line) {
        return new Resource<>("networking.istio.io/v1", Kind.VIRTUAL_SERVICE, meta(ns, name, Map.of()),
                new VirtualService(List.of(host), List.of("ingress"), List.of(), List.of(), List.of(), List.of()),
                new SourceRef(file, line, Map.of()));
    }

    static Resource<Gateway> gw(String ns, String name, Map<String, String> selector, String file) {
        return new Resource<>("networking.istio.io/v1", Kind.GATEWAY, meta(ns, name, Map.of()),
                new Gateway(List.of(), selector), SourceRef.of(file));
    }

    static ObjectMeta meta(String ns, String name, Map<String, String> labels) {
        return new ObjectMeta(name, ns, labels, Map.of(), null, null, null);
    }
}

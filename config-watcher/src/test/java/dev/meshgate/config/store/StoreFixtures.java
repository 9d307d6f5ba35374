package dev.meshgate.config.store;

import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.ObjectMeta;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.SourceRef;
import dev.meshgate.config.model.networking.VirtualService;

import java.util.List;
import java.util.Map;

/** Small resources built in code for the store tests. */
final class StoreFixtures {

    private StoreFixtures() {
    }

    static Resource<VirtualService> vs(String ns, String name, String host) {
        return vs(ns, name, host, SourceRef.of("admin-api"));
    }

    static Resource<VirtualService> vs(String ns, String name, String host, SourceRef source) {
        return new Resource<>("networking.istio.io/v1", Kind.VIRTUAL_SERVICE,
                new ObjectMeta(name, ns, Map.of(), Map.of(), null, null, null),
                new VirtualService(List.of(host), List.of("ingress"), List.of(), List.of(), List.of(), List.of()),
                source);
    }

    static <T> T await(io.vertx.core.Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.meshgate.cli;

import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.ResourceKey;
import dev.meshgate.config.store.ResourceStore;
import dev.meshgate.config.store.StoreException;
import dev.meshgate.config.store.StoreListener;
import io.vertx.core.Future;

import java.util.List;

/**
 * The admin API's store under {@code run --kubernetes}: the Kubernetes API server is the store there, so reads
 * work (and find nothing) and every write is refused with a message saying where to apply resources instead,
 * rather than accepted and never served.
 */
final class KubernetesModeStore implements ResourceStore {

    private final ResourceStore delegate;

    KubernetesModeStore(ResourceStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Future<List<Resource<?>>> list(Kind kind, String namespace) {
        return delegate.list(kind, namespace);
    }

    @Override
    public Future<List<Resource<?>>> listAll() {
        return delegate.listAll();
    }

    @Override
    public Future<Resource<?>> get(ResourceKey key) {
        return delegate.get(key);
    }

    @Override
    public Future<Resource<?>> create(Resource<?> resource) {
        return refused(resource.key());
    }

    @Override
    public Future<Resource<?>> replace(Resource<?> resource, String expectedResourceVersion) {
        return refused(resource.key());
    }

    @Override
    public Future<Resource<?>> delete(ResourceKey key, String expectedResourceVersion) {
        return refused(key);
    }

    @Override
    public Future<String> currentVersion() {
        return delegate.currentVersion();
    }

    @Override
    public Registration addListener(StoreListener listener) {
        return delegate.addListener(listener);
    }

    private static Future<Resource<?>> refused(ResourceKey key) {
        return Future.failedFuture(new StoreException(StoreException.Reason.CONFLICT, key, key
                + ": the configuration comes from the Kubernetes API (run --kubernetes); apply it there with kubectl"));
    }
}

package dev.meshgate.config.source.file;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.config.snapshot.InvalidConfigException;
import io.vertx.core.Future;

import java.util.List;

/**
 * Where a {@link FileConfigSource} delivers each load when the files are only one layer of the configuration,
 * e.g. {@code LayeredSnapshots::onFileLoad}: the sink merges them with the other layers, validates, publishes or
 * rejects. The source then publishes nothing itself.
 */
@FunctionalInterface
public interface FileLoadSink {

    /**
     * A new state of the files. Completes with the snapshot serving afterwards, or fails with an
     * {@link InvalidConfigException} carrying every diagnostic when the candidate was rejected.
     */
    Future<ConfigSnapshot> onFileLoad(List<Resource<?>> resources, List<Diagnostic> loadDiagnostics);
}

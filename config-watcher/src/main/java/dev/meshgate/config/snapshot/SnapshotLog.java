package dev.meshgate.config.snapshot;

import java.util.Map;
import java.util.logging.Logger;

/** Logs one line per applied snapshot: version, hash prefix, resource counts by kind. */
public final class SnapshotLog implements SnapshotListener {

    private static final Logger LOG = Logger.getLogger(SnapshotLog.class.getName());

    @Override
    public void onSnapshot(ConfigSnapshot current, ConfigSnapshot previous) {
        LOG.info(describe(current));
    }

    /** {@code config version 3 applied (hash 0123456789ab): 4 resources: Gateway=1, VirtualService=3}. */
    public static String describe(ConfigSnapshot s) {
        Map<String, Integer> counts = BuildResult.countsByKind(s.resources());
        StringBuilder sb = new StringBuilder()
                .append("config version ").append(s.version())
                .append(" applied (hash ").append(ContentHash.shortHash(s.hash())).append("): ")
                .append(s.resources().size()).append(s.resources().size() == 1 ? " resource" : " resources");
        String sep = ": ";
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = ", ";
        }
        return sb.toString();
    }
}

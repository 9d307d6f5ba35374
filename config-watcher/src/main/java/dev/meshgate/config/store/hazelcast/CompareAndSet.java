package dev.meshgate.config.store.hazelcast;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Replaces the value of one key if it is still {@code expected}, and sets the entry's time to live in the same
 * step: a tombstone expires, a live resource written over a tombstone must not inherit its expiry. (IMap's
 * {@code replace} followed by {@code setTtl} would leave a window in which a concurrent write gets the wrong TTL.)
 */
final class CompareAndSet implements EntryProcessor<String, String, Boolean> {

    private static final long serialVersionUID = 1L;

    private final String expected;
    private final String next;
    private final long ttlSeconds;

    /** @param ttlSeconds 0 for no expiry */
    CompareAndSet(String expected, String next, long ttlSeconds) {
        this.expected = expected;
        this.next = next;
        this.ttlSeconds = ttlSeconds;
    }

    @Override
    public Boolean process(Map.Entry<String, String> entry) {
        if (!Objects.equals(entry.getValue(), expected)) {
            return false;
        }
        ((ExtendedMapEntry<String, String>) entry).setValue(next, ttlSeconds, TimeUnit.SECONDS);
        return true;
    }
}

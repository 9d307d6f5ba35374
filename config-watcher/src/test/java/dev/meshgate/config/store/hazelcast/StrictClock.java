package dev.meshgate.config.store.hazelcast;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system clock, but every reading is at least a millisecond after the previous one. Shared by the stores of
 * several members in one JVM, it makes "written later" in a test mean a later write time even within one
 * millisecond, as it would on replicas whose writes are further apart.
 */
final class StrictClock extends Clock {

    private final AtomicLong last = new AtomicLong();

    @Override
    public long millis() {
        return last.updateAndGet(prev -> Math.max(System.currentTimeMillis(), prev + 1));
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}

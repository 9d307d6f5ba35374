package dev.meshgate.config.model.networking;

/**
 * Istio's {@code ConsistentHashLB.RingHash}. {@code minimumRingSize} is filled with 1024 when absent or 0
 * (destination_rule.proto: "Defaults to 1024").
 */
public record RingHash(Long minimumRingSize) {

    public static final long DEFAULT_MINIMUM_RING_SIZE = 1024L;

    public RingHash {
        minimumRingSize = minimumRingSize == null || minimumRingSize == 0L ? DEFAULT_MINIMUM_RING_SIZE : minimumRingSize;
    }
}

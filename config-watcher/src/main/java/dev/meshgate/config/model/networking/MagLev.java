package dev.meshgate.config.model.networking;

/**
 * Istio's {@code ConsistentHashLB.MagLev}. {@code tableSize} (a prime) is filled with 65537 when absent or 0
 * (destination_rule.proto: "If it is not specified, the default is 65537").
 */
public record MagLev(Long tableSize) {

    public static final long DEFAULT_TABLE_SIZE = 65537L;

    public MagLev {
        tableSize = tableSize == null || tableSize == 0L ? DEFAULT_TABLE_SIZE : tableSize;
    }
}

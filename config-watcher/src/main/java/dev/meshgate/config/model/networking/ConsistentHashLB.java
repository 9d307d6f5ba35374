package dev.meshgate.config.model.networking;

/**
 * Istio's {@code LoadBalancerSettings.ConsistentHashLB}. Two oneofs with nullable alternatives: the hash key
 * ({@code httpHeaderName} | {@code httpCookie} | {@code useSourceIp} | {@code httpQueryParameterName}) and the
 * algorithm ({@code ringHash} | {@code maglev}; neither = ring hash, see {@link #ringHashOrDefault()}).
 *
 * @param useSourceIp     Boolean so that presence in the oneof is visible; null = absent
 * @param minimumRingSize deprecated predecessor of {@code ringHash.minimumRingSize}; null = absent
 */
public record ConsistentHashLB(
        String httpHeaderName,
        HTTPCookie httpCookie,
        Boolean useSourceIp,
        String httpQueryParameterName,
        RingHash ringHash,
        MagLev maglev,
        Long minimumRingSize) {

    /** Number of hash-key alternatives set; validators require exactly one. */
    public int hashKeysSet() {
        return (httpHeaderName != null ? 1 : 0) + (httpCookie != null ? 1 : 0) + (useSourceIp != null ? 1 : 0)
                + (httpQueryParameterName != null ? 1 : 0);
    }

    /**
     * The ring-hash settings in effect when {@code maglev} is null (destination_rule.proto: "Defaults to RingHash
     * if not specified"): {@code ringHash}, else one built from the deprecated {@code minimumRingSize} (default
     * 1024). Returns null when Maglev is configured.
     */
    public RingHash ringHashOrDefault() {
        if (maglev != null) {
            return null;
        }
        if (ringHash != null) {
            return ringHash;
        }
        return new RingHash(minimumRingSize);
    }
}

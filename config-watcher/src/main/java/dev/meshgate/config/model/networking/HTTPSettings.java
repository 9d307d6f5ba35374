package dev.meshgate.config.model.networking;

import java.time.Duration;

/**
 * Istio's {@code ConnectionPoolSettings.HTTPSettings}. {@code idleTimeout} is filled with 1h when absent and
 * {@code h2UpgradePolicy} with DEFAULT. Integer limits are 0 when absent; the {@code ...OrDefault()} accessors
 * map that to Istio's defaults (destination_rule.proto).
 *
 * @param maxRequestsPerConnection 0 = unlimited; 1 disables keep-alive
 * @param maxConcurrentStreams     [1.22+]
 * @param http2KeepAlive           [master]; null = none
 */
public record HTTPSettings(
        int http1MaxPendingRequests,
        int http2MaxRequests,
        int maxRequestsPerConnection,
        int maxRetries,
        Duration idleTimeout,
        H2UpgradePolicy h2UpgradePolicy,
        boolean useClientProtocol,
        int maxConcurrentStreams,
        ConnectionKeepalive http2KeepAlive) {

    /** destination_rule.proto: "Default 2^32-1" for pending requests, requests and retries. */
    public static final long DEFAULT_LIMIT = 4_294_967_295L;
    /** destination_rule.proto maxConcurrentStreams: "Defaults to 2^31-1". */
    public static final long DEFAULT_MAX_CONCURRENT_STREAMS = 2_147_483_647L;
    /** destination_rule.proto idleTimeout: "If not set, the default is 1 hour". */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);
    public static final HTTPSettings DEFAULT = new HTTPSettings(0, 0, 0, 0, null, null, false, 0, null);

    public HTTPSettings {
        idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
        h2UpgradePolicy = h2UpgradePolicy == null ? H2UpgradePolicy.DEFAULT : h2UpgradePolicy;
    }

    public long http1MaxPendingRequestsOrDefault() {
        return http1MaxPendingRequests > 0 ? http1MaxPendingRequests : DEFAULT_LIMIT;
    }

    public long http2MaxRequestsOrDefault() {
        return http2MaxRequests > 0 ? http2MaxRequests : DEFAULT_LIMIT;
    }

    public long maxRetriesOrDefault() {
        return maxRetries > 0 ? maxRetries : DEFAULT_LIMIT;
    }

    /** 0 = unlimited. */
    public long maxRequestsPerConnectionOrDefault() {
        return Math.max(0, maxRequestsPerConnection);
    }

    public long maxConcurrentStreamsOrDefault() {
        return maxConcurrentStreams > 0 ? maxConcurrentStreams : DEFAULT_MAX_CONCURRENT_STREAMS;
    }

    public enum H2UpgradePolicy {
        /** Use the global (MeshConfig h2UpgradePolicy) default. */
        DEFAULT,
        DO_NOT_UPGRADE,
        UPGRADE
    }
}

package dev.meshgate.gateway.upstream.forward;

import java.time.Duration;

/**
 * Knobs of the forwarding core.
 *
 * @param replayBufferBytes how much of a request body is kept so a retry or mirror can resend it (Envoy's
 *                          per_request_buffer_limit_bytes plays this role; 64 KiB by default). A retry happens only
 *                          while the whole body consumed so far fits.
 * @param mirrorTimeout     bound on a shadow request when the route sets no timeout, so shadows never pile up
 */
public record ForwardOptions(int replayBufferBytes, Duration mirrorTimeout) {

    public static final int DEFAULT_REPLAY_BUFFER_BYTES = 64 * 1024;
    public static final ForwardOptions DEFAULT = new ForwardOptions(DEFAULT_REPLAY_BUFFER_BYTES, Duration.ofSeconds(30));

    public ForwardOptions {
        if (replayBufferBytes < 0) {
            throw new IllegalArgumentException("replayBufferBytes must be >= 0");
        }
        mirrorTimeout = mirrorTimeout == null ? Duration.ofSeconds(30) : mirrorTimeout;
    }
}

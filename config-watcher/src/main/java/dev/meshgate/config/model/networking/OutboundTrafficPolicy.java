package dev.meshgate.config.model.networking;

/**
 * Sidecar outbound policy for unknown destinations. {@code mode} is filled with REGISTRY_ONLY (the proto enum
 * zero) when the block is present but the mode is absent; a Sidecar without the block uses the mesh default
 * ALLOW_ANY ({@link Sidecar#outboundTrafficPolicyOrDefault()}).
 *
 * @param egressProxy hidden in Istio
 */
public record OutboundTrafficPolicy(Mode mode, Destination egressProxy) {

    public OutboundTrafficPolicy {
        mode = mode == null ? Mode.REGISTRY_ONLY : mode;
    }

    public enum Mode {
        REGISTRY_ONLY,
        ALLOW_ANY
    }
}

package dev.meshgate.config.model.security;

/**
 * Istio's {@code PeerAuthentication.MutualTLS}. {@code mode} is filled with UNSET (inherit) when absent.
 */
public record MutualTLS(Mode mode) {

    public MutualTLS {
        mode = mode == null ? Mode.UNSET : mode;
    }

    public enum Mode {
        /** Inherit from the parent scope; at the top (mesh) level it means PERMISSIVE. */
        UNSET,
        DISABLE,
        PERMISSIVE,
        STRICT
    }
}

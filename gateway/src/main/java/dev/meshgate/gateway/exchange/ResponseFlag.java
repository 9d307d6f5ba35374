package dev.meshgate.gateway.exchange;

/**
 * Envoy's %RESPONSE_FLAGS%, which Istio users grep access logs and metrics for. Printed by {@link #name()}.
 */
public enum ResponseFlag {
    /** No route (404) or no filter chain. */
    NR,
    /** No cluster / unknown subset (503). */
    NC,
    /** No healthy upstream host (503). */
    UH,
    /** Upstream connection failure (503). */
    UF,
    /** Upstream overflow: circuit breaker (503). */
    UO,
    /** Retry or connect limit exceeded. */
    URX,
    /** Upstream connection termination (503). */
    UC,
    /** Upstream request timeout (504). */
    UT,
    /** Upstream remote reset. */
    UR,
    /** Local reset. */
    LR,
    /** Downstream connection termination. */
    DC,
    /** Delay injected by fault. */
    DI,
    /** Abort injected by fault. */
    FI,
    /** Upstream protocol error. */
    UPE,
    /** Downstream protocol error. */
    DPE,
    /** Stream idle timeout. */
    SI,
    /** DNS resolution failed. */
    DF,
    /** Invalid header values. */
    IH,
    /** Rate limited. */
    RL,
    /** External authorization denied. */
    UAEX
}

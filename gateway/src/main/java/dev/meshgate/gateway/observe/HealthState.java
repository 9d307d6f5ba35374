package dev.meshgate.gateway.observe;

/**
 * Readiness as Istio's gateways report it on {@code :15021/healthz/ready}: ready once a config snapshot has been
 * applied and every listener of it is bound, and not ready again from the moment draining starts (for good).
 * Written by the runtime and the drain controller from any thread; read by the probe.
 */
public final class HealthState {

    private volatile long appliedVersion = -1;
    private volatile boolean listenersBound;
    private volatile boolean draining;

    /** A snapshot was applied; {@code allListenersBound} false when any of its listeners failed to bind. */
    public void configApplied(long version, boolean allListenersBound) {
        this.appliedVersion = version;
        this.listenersBound = allListenersBound;
    }

    /** Listener state changed without a new snapshot (e.g. a retry bound the missing port). */
    public void listenersBound(boolean bound) {
        this.listenersBound = bound;
    }

    public void startDraining() {
        this.draining = true;
    }

    public boolean draining() {
        return draining;
    }

    public long appliedVersion() {
        return appliedVersion;
    }

    public boolean ready() {
        return !draining && appliedVersion >= 0 && listenersBound;
    }

    /** Why not ready, for the probe's 503 body; null when ready. */
    public String notReadyReason() {
        if (draining) {
            return "draining";
        }
        if (appliedVersion < 0) {
            return "no configuration applied yet";
        }
        if (!listenersBound) {
            return "not every listener is bound";
        }
        return null;
    }
}

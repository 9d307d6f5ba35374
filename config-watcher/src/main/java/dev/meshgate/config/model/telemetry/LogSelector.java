package dev.meshgate.config.model.telemetry;

/** Istio's {@code AccessLogging.LogSelector}; {@code mode} is filled with CLIENT_AND_SERVER when absent. */
public record LogSelector(WorkloadMode mode) {

    public LogSelector {
        mode = mode == null ? WorkloadMode.CLIENT_AND_SERVER : mode;
    }
}

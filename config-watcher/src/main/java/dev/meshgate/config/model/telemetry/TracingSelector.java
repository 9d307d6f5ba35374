package dev.meshgate.config.model.telemetry;

/** Istio's {@code Tracing.TracingSelector}; {@code mode} is filled with CLIENT_AND_SERVER when absent. */
public record TracingSelector(WorkloadMode mode) {

    public TracingSelector {
        mode = mode == null ? WorkloadMode.CLIENT_AND_SERVER : mode;
    }
}

package dev.meshgate.config.model.telemetry;

/**
 * Istio's {@code MetricsOverrides.TagOverride}. {@code operation} is filled with UPSERT (enum zero) when absent.
 *
 * @param value CEL expression; required for UPSERT, must be absent for REMOVE
 */
public record TagOverride(Operation operation, String value) {

    public TagOverride {
        operation = operation == null ? Operation.UPSERT : operation;
    }

    public enum Operation {
        UPSERT,
        REMOVE
    }
}

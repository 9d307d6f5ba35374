package dev.meshgate.config.model.networking;

/**
 * WorkloadGroup readiness probe. {@code httpGet} / {@code tcpSocket} / {@code exec} / {@code grpc} are the
 * {@code health_check_method} oneof. Filled when absent or 0 (workload_group.proto): timeoutSeconds 1,
 * periodSeconds 10, successThreshold 1, failureThreshold 3.
 */
public record ReadinessProbe(
        int initialDelaySeconds,
        Integer timeoutSeconds,
        Integer periodSeconds,
        Integer successThreshold,
        Integer failureThreshold,
        HTTPHealthCheckConfig httpGet,
        TCPHealthCheckConfig tcpSocket,
        ExecHealthCheckConfig exec,
        GrpcHealthCheckConfig grpc) {

    public static final int DEFAULT_TIMEOUT_SECONDS = 1;
    public static final int DEFAULT_PERIOD_SECONDS = 10;
    public static final int DEFAULT_SUCCESS_THRESHOLD = 1;
    public static final int DEFAULT_FAILURE_THRESHOLD = 3;

    public ReadinessProbe {
        timeoutSeconds = orDefault(timeoutSeconds, DEFAULT_TIMEOUT_SECONDS);
        periodSeconds = orDefault(periodSeconds, DEFAULT_PERIOD_SECONDS);
        successThreshold = orDefault(successThreshold, DEFAULT_SUCCESS_THRESHOLD);
        failureThreshold = orDefault(failureThreshold, DEFAULT_FAILURE_THRESHOLD);
    }

    private static Integer orDefault(Integer value, int dflt) {
        return value == null || value == 0 ? dflt : value;
    }
}

package dev.meshgate.config.model.networking;

/** {@code ReadinessProbe.grpc} (Kubernetes' GRPCAction). */
public record GrpcHealthCheckConfig(int port, String service) {
}

package dev.meshgate.config.model.security;

/**
 * Istio's {@code istio.type.v1beta1.PolicyTargetReference}, shared by the security kinds and Telemetry.
 *
 * @param group     null = the core group
 * @param kind      REQUIRED, e.g. Gateway, GatewayClass, Service, ServiceEntry
 * @param name      REQUIRED
 * @param namespace null = the policy's namespace
 */
public record PolicyTargetReference(String group, String kind, String name, String namespace) {
}

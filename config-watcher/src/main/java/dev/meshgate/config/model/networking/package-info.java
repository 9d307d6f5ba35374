/**
 * {@code networking.istio.io} specs as immutable records (see MODEL-CONVENTIONS.md).
 *
 * <p>Naming: each Istio message is one top-level record named as in Istio. Nested Istio messages are top-level
 * records named after their last segment ({@code HTTPFaultInjection.Delay} is {@link Delay},
 * {@code Headers.HeaderOperations} is {@link HeaderOperations}, {@code TrafficPolicy.PortTrafficPolicy} is
 * {@link PortTrafficPolicy}, {@code ConsistentHashLB.HTTPCookie.Attribute} is {@link Attribute}), except
 * {@code WorkloadGroup.ObjectMeta}, which is {@link WorkloadGroupMetadata}; {@code ZoneAwareLoadBalancerSetting}
 * reuses {@link Failover}. Enums nested in an Istio message are nested in its record
 * ({@code ServerTLSSettings.TLSmode}, {@code ClientTLSSettings.TLSmode}); {@link Protocol} is an enum although
 * Istio's proto types port protocols as strings.
 *
 * <p>Defaults: where Istio's absence means the same as its default, the compact constructor fills the default
 * (for example {@code TCPSettings.connectTimeout} 10s); where absence means something, the component stays
 * nullable and an {@code xxxOrDefault()} accessor plus a {@code DEFAULT_XXX} constant give the effective value.
 * Nested messages stay null when absent.
 */
package dev.meshgate.config.model.networking;

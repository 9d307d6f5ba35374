/**
 * {@code telemetry.istio.io} specs as immutable records (see MODEL-CONVENTIONS.md). Nested Istio messages are
 * top-level records named after their last segment ({@code Tracing.CustomTag} is {@link CustomTag},
 * {@code MetricsOverrides.TagOverride} is {@link TagOverride}, {@code AccessLogging.Filter} is {@link Filter}).
 * Telemetry settings inherit mesh → namespace → workload, so absent values stay null and {@code ...OrDefault()}
 * accessors give Istio's final defaults.
 */
package dev.meshgate.config.model.telemetry;

/**
 * {@code security.istio.io} specs as immutable records (see MODEL-CONVENTIONS.md). Istio's nested
 * {@code Rule.From} / {@code Rule.To} are the records {@link From} / {@link To}, and
 * {@code AuthorizationPolicy.ExtensionProvider} is {@link ExtensionProvider}. {@link WorkloadSelector}
 * ({@code matchLabels}) and {@link PolicyTargetReference} are Istio's {@code istio.type.v1beta1} types; Telemetry
 * uses them too.
 */
package dev.meshgate.config.model.security;

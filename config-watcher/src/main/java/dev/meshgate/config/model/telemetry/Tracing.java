package dev.meshgate.config.model.telemetry;

import dev.meshgate.config.model.Copies;
import java.util.List;
import java.util.Map;

/**
 * Tracing configuration. Wrapper fields are null when absent (inherited from the parent scope).
 *
 * @param match                          null = both client and server
 * @param providers                      at most one; empty = MeshConfig defaultProviders.tracing
 * @param randomSamplingPercentage       DoubleValue 0-100; null = 0% at the top level
 * @param customTags                     replaces (does not merge with) the parent's tags
 * @param useRequestIdForTraceSampling   hidden; null = true
 * @param enableIstioTags                [1.26+]; null = true
 * @param disableContextPropagation      [1.30+]; null = false
 */
public record Tracing(
        TracingSelector match,
        List<ProviderRef> providers,
        Double randomSamplingPercentage,
        Boolean disableSpanReporting,
        Map<String, CustomTag> customTags,
        Boolean useRequestIdForTraceSampling,
        Boolean enableIstioTags,
        Boolean disableContextPropagation) {

    /** telemetry.proto randomSamplingPercentage: "Defaults to 0%". */
    public static final double DEFAULT_RANDOM_SAMPLING_PERCENTAGE = 0.0;

    public Tracing {
        providers = Copies.list(providers);
        customTags = Copies.map(customTags);
    }

    public double randomSamplingPercentageOrDefault() {
        return randomSamplingPercentage == null ? DEFAULT_RANDOM_SAMPLING_PERCENTAGE : randomSamplingPercentage;
    }

    public boolean disableSpanReportingOrDefault() {
        return disableSpanReporting != null && disableSpanReporting;
    }

    public boolean useRequestIdForTraceSamplingOrDefault() {
        return useRequestIdForTraceSampling == null || useRequestIdForTraceSampling;
    }

    public boolean enableIstioTagsOrDefault() {
        return enableIstioTags == null || enableIstioTags;
    }

    public boolean disableContextPropagationOrDefault() {
        return disableContextPropagation != null && disableContextPropagation;
    }
}

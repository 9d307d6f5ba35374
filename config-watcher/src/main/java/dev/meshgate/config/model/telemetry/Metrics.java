package dev.meshgate.config.model.telemetry;

import dev.meshgate.config.model.Copies;
import java.time.Duration;
import java.util.List;

/**
 * Metrics configuration.
 *
 * @param providers         empty = MeshConfig defaultProviders.metrics
 * @param overrides         applied in order
 * @param reportingInterval TCP metrics reporting interval; null = inherited, finally 5s
 */
public record Metrics(List<ProviderRef> providers, List<MetricsOverrides> overrides, Duration reportingInterval) {

    /** telemetry.proto reportingInterval: "The default duration is 5s". */
    public static final Duration DEFAULT_REPORTING_INTERVAL = Duration.ofSeconds(5);

    public Metrics {
        providers = Copies.list(providers);
        overrides = Copies.list(overrides);
    }

    public Duration reportingIntervalOrDefault() {
        return reportingInterval == null ? DEFAULT_REPORTING_INTERVAL : reportingInterval;
    }
}

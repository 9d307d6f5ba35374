package dev.meshgate.config.model.telemetry;

import dev.meshgate.config.model.Copies;
import java.util.Map;

/**
 * Overrides for the metrics a selector matches.
 *
 * @param match        null = all metrics, both modes
 * @param disabled     BoolValue; null = not changed
 * @param tagOverrides tag (label) name to operation, in the order written
 */
public record MetricsOverrides(MetricSelector match, Boolean disabled, Map<String, TagOverride> tagOverrides) {

    public MetricsOverrides {
        tagOverrides = Copies.map(tagOverrides);
    }
}

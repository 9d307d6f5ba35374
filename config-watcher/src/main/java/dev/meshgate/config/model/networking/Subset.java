package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.Map;

/**
 * A named subset of a service's endpoints.
 *
 * @param name          REQUIRED
 * @param labels        endpoint label filter; may be empty
 * @param trafficPolicy overrides the DestinationRule-level policy field by field; null when absent
 */
public record Subset(String name, Map<String, String> labels, TrafficPolicy trafficPolicy) {

    public Subset {
        labels = Copies.map(labels);
    }
}

package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.Map;

/**
 * Istio's {@code LocalityLoadBalancerSetting.Distribute}.
 *
 * @param from origin locality ({@code region/zone/subzone}, trailing {@code *} allowed)
 * @param to   locality to weight; weights sum to 100
 */
public record Distribute(String from, Map<String, Integer> to) {

    public Distribute {
        to = Copies.map(to);
    }
}

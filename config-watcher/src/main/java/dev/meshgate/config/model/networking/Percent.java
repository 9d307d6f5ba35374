package dev.meshgate.config.model.networking;

/**
 * A percentage, 0.0 to 100.0 (validators enforce the range via {@link #isValid()}).
 */
public record Percent(double value) {

    public boolean isValid() {
        return value >= 0.0 && value <= 100.0 && !Double.isNaN(value);
    }

    /**
     * Parts per million, as Istio translates percentages for Envoy (10^-4 % resolution), clamped to 0..1,000,000.
     */
    public int partsPerMillion() {
        if (!(value > 0.0)) {
            return 0;
        }
        return (int) Math.min(1_000_000L, Math.round(value * 10_000.0));
    }
}

package dev.meshgate.config.model.networking;

/**
 * One of several mirrors of a route.
 *
 * @param destination REQUIRED
 * @param percentage  null = absent = 100% (Istio route.go: absent percentage mirrors every request)
 */
public record HTTPMirrorPolicy(Destination destination, Percent percentage) {

    public static final Percent DEFAULT_PERCENTAGE = new Percent(100.0);

    public Percent percentageOrDefault() {
        return percentage == null ? DEFAULT_PERCENTAGE : percentage;
    }
}

package dev.meshgate.config.model.networking;

/**
 * Istio's {@code HTTPFaultInjection.Abort}. {@code httpStatus} / {@code grpcStatus} / {@code http2Error} are a
 * oneof (nullable alternatives).
 *
 * @param grpcStatus status name such as {@code UNAVAILABLE}
 * @param http2Error hidden in Istio
 * @param percentage null = absent = no request aborted
 */
public record Abort(Integer httpStatus, String grpcStatus, String http2Error, Percent percentage) {

    public static final Percent DEFAULT_PERCENTAGE = new Percent(0.0);

    public Percent percentageOrDefault() {
        return percentage == null ? DEFAULT_PERCENTAGE : percentage;
    }
}

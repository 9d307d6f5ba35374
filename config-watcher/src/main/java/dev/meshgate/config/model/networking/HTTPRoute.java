package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.time.Duration;
import java.util.List;

/**
 * One HTTP route of a VirtualService; the first route whose match succeeds wins.
 *
 * <p>{@code timeout}, {@code retries} and {@code mirrorPercentage} keep their absence (it means something in
 * Istio); use the {@code ...OrDefault()} accessors for the effective values.
 *
 * @param match            OR between entries; empty matches everything
 * @param mirrorPercent    deprecated UInt32Value predecessor of {@code mirrorPercentage}
 * @param mirrorPercentage null = absent = 100% (explicit 0 disables mirroring)
 */
public record HTTPRoute(
        String name,
        List<HTTPMatchRequest> match,
        List<HTTPRouteDestination> route,
        HTTPRedirect redirect,
        HTTPDirectResponse directResponse,
        Delegate delegate,
        HTTPRewrite rewrite,
        Duration timeout,
        HTTPRetry retries,
        HTTPFaultInjection fault,
        Destination mirror,
        List<HTTPMirrorPolicy> mirrors,
        Integer mirrorPercent,
        Percent mirrorPercentage,
        CorsPolicy corsPolicy,
        Headers headers) {

    /**
     * No route timeout: virtual_service.proto {@code timeout} ("disabled by default"); Istio sets the Envoy
     * route timeout to 0s, meaning none. Duration.ZERO here means "no timeout".
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ZERO;
    /** Mirroring without a percentage mirrors every request (Istio route.go: absent mirrorPercentage = 100%). */
    public static final Percent DEFAULT_MIRROR_PERCENTAGE = new Percent(100.0);

    public HTTPRoute {
        match = Copies.list(match);
        route = Copies.list(route);
        mirrors = Copies.list(mirrors);
    }

    /** The route timeout; {@link Duration#ZERO} means none. */
    public Duration timeoutOrDefault() {
        return timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    /**
     * The retry policy: the route's own, else Istio's built-in mesh default {@link HTTPRetry#MESH_DEFAULT}
     * (MeshConfig {@code defaultHttpRetryPolicy} may replace that default; that is the caller's business).
     */
    public HTTPRetry retriesOrDefault() {
        return retries == null ? HTTPRetry.MESH_DEFAULT : retries;
    }

    /** The share of requests {@code mirror} copies: mirrorPercentage, else deprecated mirrorPercent, else 100%. */
    public Percent mirrorPercentageOrDefault() {
        if (mirrorPercentage != null) {
            return mirrorPercentage;
        }
        if (mirrorPercent != null) {
            return new Percent(mirrorPercent);
        }
        return DEFAULT_MIRROR_PERCENTAGE;
    }
}

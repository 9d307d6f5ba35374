package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.time.Duration;
import java.util.List;

/**
 * CORS policy of a route. {@code unmatchedPreflights} is filled with {@code UNSPECIFIED} (the enum zero, which
 * behaves as FORWARD) when absent.
 *
 * @param allowOrigin       deprecated exact-origin list, superseded by {@code allowOrigins}
 * @param maxAge            null = no Access-Control-Max-Age
 * @param allowCredentials  BoolValue; null = the header is not sent
 */
public record CorsPolicy(
        List<String> allowOrigin,
        List<StringMatch> allowOrigins,
        List<String> allowMethods,
        List<String> allowHeaders,
        List<String> exposeHeaders,
        Duration maxAge,
        Boolean allowCredentials,
        UnmatchedPreflights unmatchedPreflights) {

    public CorsPolicy {
        allowOrigin = Copies.list(allowOrigin);
        allowOrigins = Copies.list(allowOrigins);
        allowMethods = Copies.list(allowMethods);
        allowHeaders = Copies.list(allowHeaders);
        exposeHeaders = Copies.list(exposeHeaders);
        unmatchedPreflights = unmatchedPreflights == null ? UnmatchedPreflights.UNSPECIFIED : unmatchedPreflights;
    }

    /** virtual_service.proto: UNSPECIFIED behaves as FORWARD. */
    public UnmatchedPreflights effectiveUnmatchedPreflights() {
        return unmatchedPreflights == UnmatchedPreflights.UNSPECIFIED ? UnmatchedPreflights.FORWARD : unmatchedPreflights;
    }

    public enum UnmatchedPreflights {
        UNSPECIFIED,
        FORWARD,
        IGNORE
    }
}

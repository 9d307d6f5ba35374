package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.time.Duration;
import java.util.List;

/**
 * Istio's {@code ConsistentHashLB.HTTPCookie}: hash on a cookie.
 *
 * @param name       REQUIRED
 * @param ttl        null = the cookie is never generated; set = the proxy generates it when absent (0 = session
 *                   cookie)
 * @param attributes extra cookie attributes of a generated cookie
 */
public record HTTPCookie(String name, String path, Duration ttl, List<Attribute> attributes) {

    public HTTPCookie {
        attributes = Copies.list(attributes);
    }
}

package dev.meshgate.config.model.security;

import dev.meshgate.config.model.Copies;
import java.util.List;

/**
 * An additional condition of a rule.
 *
 * @param key REQUIRED, e.g. {@code request.headers[x-token]}, {@code source.ip}, {@code request.auth.claims[iss]}
 */
public record Condition(String key, List<String> values, List<String> notValues) {

    public Condition {
        values = Copies.list(values);
        notValues = Copies.list(notValues);
    }
}

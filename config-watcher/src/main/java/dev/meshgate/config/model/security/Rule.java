package dev.meshgate.config.model.security;

import dev.meshgate.config.model.Copies;
import java.util.List;

/**
 * An authorization rule: matches when (any {@code from}) and (any {@code to}) and (all {@code when}); an empty
 * list places no condition, so an empty rule matches everything.
 */
public record Rule(List<From> from, List<To> to, List<Condition> when) {

    public Rule {
        from = Copies.list(from);
        to = Copies.list(to);
        when = Copies.list(when);
    }
}

package dev.meshgate.config.model.telemetry;

import dev.meshgate.config.model.Copies;
import java.util.List;

/**
 * Access-log configuration.
 *
 * @param match     null = both client and server
 * @param providers empty = MeshConfig defaultProviders.accessLogging
 * @param disabled  BoolValue; null = inherited (a rule without it turns logging on)
 * @param filter    null = log everything
 */
public record AccessLogging(LogSelector match, List<ProviderRef> providers, Boolean disabled, Filter filter) {

    public AccessLogging {
        providers = Copies.list(providers);
    }
}

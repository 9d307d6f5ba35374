package dev.meshgate.config.model.security;

import dev.meshgate.config.model.Copies;
import java.util.List;

/**
 * Spec of {@code security.istio.io} AuthorizationPolicy. {@code action} is filled with ALLOW (enum zero) when
 * absent.
 *
 * @param selector   null = every workload in scope; exclusive with target refs
 * @param targetRef  deprecated/hidden singular form of {@code targetRefs}
 * @param targetRefs [1.22+]
 * @param rules      empty = never matches (with ALLOW: deny all)
 * @param provider   CUSTOM only (the {@code action_detail} oneof)
 */
public record AuthorizationPolicy(
        WorkloadSelector selector,
        PolicyTargetReference targetRef,
        List<PolicyTargetReference> targetRefs,
        List<Rule> rules,
        Action action,
        ExtensionProvider provider) {

    public AuthorizationPolicy {
        targetRefs = Copies.list(targetRefs);
        rules = Copies.list(rules);
        action = action == null ? Action.ALLOW : action;
    }

    public enum Action {
        ALLOW,
        DENY,
        AUDIT,
        CUSTOM
    }
}

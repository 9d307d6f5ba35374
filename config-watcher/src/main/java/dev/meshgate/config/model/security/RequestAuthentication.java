package dev.meshgate.config.model.security;

import dev.meshgate.config.model.Copies;
import java.util.List;

/**
 * Spec of {@code security.istio.io} RequestAuthentication.
 *
 * @param targetRef  deprecated/hidden singular form of {@code targetRefs}
 * @param targetRefs [1.22+]
 */
public record RequestAuthentication(
        WorkloadSelector selector,
        PolicyTargetReference targetRef,
        List<PolicyTargetReference> targetRefs,
        List<JWTRule> jwtRules) {

    public RequestAuthentication {
        targetRefs = Copies.list(targetRefs);
        jwtRules = Copies.list(jwtRules);
    }
}

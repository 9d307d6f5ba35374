package dev.meshgate.config.validation;

import dev.meshgate.config.model.security.PolicyTargetReference;
import dev.meshgate.config.model.security.WorkloadSelector;

import java.util.List;
import java.util.Set;

/** Selector and targetRef rules shared by AuthorizationPolicy, RequestAuthentication and Telemetry. */
final class PolicyRules {

    /** group/kind pairs a policy may target (Istio: Service, ServiceEntry, Gateway API Gateway). */
    private static final Set<String> TARGET_KINDS = Set.of(
            "/Service", "core/Service", "networking.istio.io/ServiceEntry", "gateway.networking.k8s.io/Gateway",
            "gateway.networking.k8s.io/GatewayClass");

    private PolicyRules() {
    }

    static void selectorAndTargets(FieldContext spec, WorkloadSelector selector, PolicyTargetReference targetRef,
                                   List<PolicyTargetReference> targetRefs) {
        int set = (selector != null ? 1 : 0) + (targetRef != null ? 1 : 0) + (targetRefs.isEmpty() ? 0 : 1);
        if (set > 1) {
            spec.error("only one of selector, targetRef or targetRefs may be set");
        }
        if (selector != null) {
            FieldContext s = spec.field("selector");
            if (selector.matchLabels().isEmpty()) {
                s.warn("selects no labels, so it applies to every workload in scope");
            }
            Checks.labels(s.field("matchLabels"), selector.matchLabels());
        }
        if (targetRef != null) {
            spec.warn("targetRef", "is deprecated; use targetRefs");
            target(spec.field("targetRef"), targetRef);
        }
        for (int i = 0; i < targetRefs.size(); i++) {
            target(spec.field("targetRefs").index(i), targetRefs.get(i));
        }
    }

    private static void target(FieldContext at, PolicyTargetReference ref) {
        if (Checks.isBlank(ref.name())) {
            at.error("name", "is required");
        }
        if (!Checks.isBlank(ref.namespace())) {
            at.error("namespace", "cross-namespace references are not supported; leave it empty");
        }
        String group = ref.group() == null ? "" : ref.group();
        if (!TARGET_KINDS.contains(group + "/" + ref.kind())) {
            at.error("kind", "cannot target " + (group.isEmpty() ? "" : group + "/") + ref.kind()
                    + "; use a Service, a ServiceEntry or a gateway.networking.k8s.io Gateway");
        }
    }
}

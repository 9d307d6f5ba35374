package dev.meshgate.config.validation;

import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.security.PeerAuthentication;

/** PeerAuthentication rules of Istio's {@code ValidatePeerAuthentication} (mesh agent; no gateway behaviour). */
final class PeerAuthenticationValidator implements KindValidator<PeerAuthentication> {

    @Override
    public Class<PeerAuthentication> specType() {
        return PeerAuthentication.class;
    }

    @Override
    public void validate(Resource<PeerAuthentication> resource, FieldContext spec) {
        PeerAuthentication pa = resource.spec();
        boolean noSelector = pa.selector() == null || pa.selector().matchLabels().isEmpty();
        if (noSelector && !pa.portLevelMtls().isEmpty()) {
            spec.error("portLevelMtls", "needs a selector; namespace- and mesh-wide policies cannot set port-level mTLS");
        }
        for (Integer port : pa.portLevelMtls().keySet()) {
            Checks.port(spec.field("portLevelMtls").key(port), port);
        }
        if (pa.selector() != null) {
            if (pa.selector().matchLabels().isEmpty()) {
                spec.warn("selector", "selects no labels, so it applies to every workload in scope");
            }
            Checks.labels(spec.field("selector").field("matchLabels"), pa.selector().matchLabels());
        }
    }
}

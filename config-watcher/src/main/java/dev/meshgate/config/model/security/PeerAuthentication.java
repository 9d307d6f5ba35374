package dev.meshgate.config.model.security;

import dev.meshgate.config.model.Copies;
import java.util.Map;

/**
 * Spec of {@code security.istio.io} PeerAuthentication.
 *
 * @param mtls          null = inherit (UNSET)
 * @param portLevelMtls keyed by workload (container) port; honoured only with a selector
 */
public record PeerAuthentication(WorkloadSelector selector, MutualTLS mtls, Map<Integer, MutualTLS> portLevelMtls) {

    public PeerAuthentication {
        portLevelMtls = Copies.map(portLevelMtls);
    }
}

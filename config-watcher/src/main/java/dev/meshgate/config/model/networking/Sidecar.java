package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.List;

/**
 * Spec of {@code networking.istio.io} Sidecar (used by the east-west agent).
 *
 * @param workloadSelector      null = the whole namespace
 * @param inboundConnectionPool null when absent
 * @param outboundTrafficPolicy null when absent = the mesh default, ALLOW_ANY ({@link #outboundTrafficPolicyOrDefault()})
 */
public record Sidecar(
        WorkloadSelector workloadSelector,
        List<IstioIngressListener> ingress,
        List<IstioEgressListener> egress,
        ConnectionPoolSettings inboundConnectionPool,
        OutboundTrafficPolicy outboundTrafficPolicy) {

    /** MeshConfig outboundTrafficPolicy default (sidecar.proto/config.proto): ALLOW_ANY. */
    public static final OutboundTrafficPolicy DEFAULT_OUTBOUND_TRAFFIC_POLICY =
            new OutboundTrafficPolicy(OutboundTrafficPolicy.Mode.ALLOW_ANY, null);

    public Sidecar {
        ingress = Copies.list(ingress);
        egress = Copies.list(egress);
    }

    public OutboundTrafficPolicy outboundTrafficPolicyOrDefault() {
        return outboundTrafficPolicy == null ? DEFAULT_OUTBOUND_TRAFFIC_POLICY : outboundTrafficPolicy;
    }
}

package dev.meshgate.gateway.upstream;

import dev.meshgate.gateway.upstream.forward.ForwardOptions;

/**
 * @param gatewayNamespace the instance's namespace (DestinationRule lookup starts there), default istio-system
 * @param rootNamespace    Istio's config root namespace (mesh-wide rules), default istio-system
 * @param credentialsDir   where DestinationRule tls.credentialName is resolved ({@code <dir>/<ns>/<name>/}), null = none
 * @param registryOnly     egress gateway: a destination host that no ServiceEntry registers is refused with 502
 *                         (Istio's REGISTRY_ONLY BlackHoleCluster) instead of 503 NC
 */
public record UpstreamOptions(String gatewayNamespace, String rootNamespace, ForwardOptions forward,
                              java.nio.file.Path credentialsDir, boolean registryOnly) {

    public static final UpstreamOptions DEFAULT = new UpstreamOptions("istio-system", "istio-system",
            ForwardOptions.DEFAULT);

    public UpstreamOptions {
        gatewayNamespace = gatewayNamespace == null ? "istio-system" : gatewayNamespace;
        rootNamespace = rootNamespace == null ? "istio-system" : rootNamespace;
        forward = forward == null ? ForwardOptions.DEFAULT : forward;
    }

    public UpstreamOptions(String gatewayNamespace, String rootNamespace, ForwardOptions forward) {
        this(gatewayNamespace, rootNamespace, forward, null, false);
    }

    public UpstreamOptions(String gatewayNamespace, String rootNamespace, ForwardOptions forward,
                           java.nio.file.Path credentialsDir) {
        this(gatewayNamespace, rootNamespace, forward, credentialsDir, false);
    }
}

package dev.meshgate.gateway.upstream;

import dev.meshgate.gateway.upstream.forward.ForwardOptions;

/**
 * @param gatewayNamespace the instance's namespace (DestinationRule lookup starts there), default istio-system
 * @param rootNamespace    Istio's config root namespace (mesh-wide rules), default istio-system
 * @param credentialsDir   where DestinationRule tls.credentialName is resolved ({@code <dir>/<ns>/<name>/}), null = none
 * @param registryOnly     egress gateway: a destination host that no ServiceEntry registers is refused with 502
 *                         (Istio's REGISTRY_ONLY BlackHoleCluster) instead of 503 NC
 * @param dnsServer        {@code ip:port} of the resolver for ServiceEntry DNS / DNS_ROUND_ROBIN names; null = the
 *                         upstream client resolves host names itself at connect time
 * @param dnsRefreshRate   how often DNS names are resolved again (Istio's dnsRefreshRate), default 60s
 * @param proxyLocality    the gateway's locality and labels for locality load balancing; default none
 */
public record UpstreamOptions(String gatewayNamespace, String rootNamespace, ForwardOptions forward,
                              java.nio.file.Path credentialsDir, boolean registryOnly, String dnsServer,
                              java.time.Duration dnsRefreshRate,
                              dev.meshgate.gateway.upstream.lb.ProxyLocality proxyLocality) {

    public static final java.time.Duration DEFAULT_DNS_REFRESH_RATE = java.time.Duration.ofSeconds(60);

    public UpstreamOptions(String gatewayNamespace, String rootNamespace, ForwardOptions forward,
                           java.nio.file.Path credentialsDir, boolean registryOnly) {
        this(gatewayNamespace, rootNamespace, forward, credentialsDir, registryOnly, null, null);
    }

    public UpstreamOptions(String gatewayNamespace, String rootNamespace, ForwardOptions forward,
                           java.nio.file.Path credentialsDir, boolean registryOnly, String dnsServer,
                           java.time.Duration dnsRefreshRate) {
        this(gatewayNamespace, rootNamespace, forward, credentialsDir, registryOnly, dnsServer, dnsRefreshRate, null);
    }

    /** The gateway's locality (the --locality flag) and workload labels. */
    public UpstreamOptions withLocality(dev.meshgate.gateway.upstream.lb.ProxyLocality self) {
        return new UpstreamOptions(gatewayNamespace, rootNamespace, forward, credentialsDir, registryOnly, dnsServer,
                dnsRefreshRate, self);
    }

    public UpstreamOptions withDns(String server, java.time.Duration refreshRate) {
        return new UpstreamOptions(gatewayNamespace, rootNamespace, forward, credentialsDir, registryOnly, server,
                refreshRate, proxyLocality);
    }

    public static final UpstreamOptions DEFAULT = new UpstreamOptions("istio-system", "istio-system",
            ForwardOptions.DEFAULT);

    public UpstreamOptions {
        gatewayNamespace = gatewayNamespace == null ? "istio-system" : gatewayNamespace;
        rootNamespace = rootNamespace == null ? "istio-system" : rootNamespace;
        forward = forward == null ? ForwardOptions.DEFAULT : forward;
        dnsRefreshRate = dnsRefreshRate == null || dnsRefreshRate.isZero() || dnsRefreshRate.isNegative()
                ? DEFAULT_DNS_REFRESH_RATE : dnsRefreshRate;
        proxyLocality = proxyLocality == null ? dev.meshgate.gateway.upstream.lb.ProxyLocality.NONE : proxyLocality;
    }

    public UpstreamOptions(String gatewayNamespace, String rootNamespace, ForwardOptions forward) {
        this(gatewayNamespace, rootNamespace, forward, null, false);
    }

    public UpstreamOptions(String gatewayNamespace, String rootNamespace, ForwardOptions forward,
                           java.nio.file.Path credentialsDir) {
        this(gatewayNamespace, rootNamespace, forward, credentialsDir, false);
    }
}

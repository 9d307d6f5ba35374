package dev.meshgate.cli;

import dev.meshgate.gateway.runtime.GatewayOptions;
import picocli.CommandLine.Option;

/** The data-plane flags shared by {@code run} and {@code demo}. */
public final class GatewayFlags {

    @Option(names = "--labels", paramLabel = "K=V[,K=V...]", defaultValue = "istio=ingressgateway",
            description = "This instance's workload labels; Gateways whose selector they satisfy apply "
                    + "(default: ${DEFAULT-VALUE}).")
    String labels = "istio=ingressgateway";

    @Option(names = "--gateway-namespace", paramLabel = "NS", defaultValue = GatewayOptions.DEFAULT_NAMESPACE,
            description = "This instance's namespace, for exportTo and DestinationRule lookup "
                    + "(default: ${DEFAULT-VALUE}).")
    String gatewayNamespace = GatewayOptions.DEFAULT_NAMESPACE;

    @Option(names = "--port-map", paramLabel = "SVC=LOCAL[,...]",
            description = "Bind Gateway service ports to other local ports, e.g. 80=8080,443=8443 "
                    + "(a Service port to its targetPort).")
    String portMap;

    @Option(names = "--event-loops", paramLabel = "N", defaultValue = "0",
            description = "Event loops (one listener verticle each); default: the number of cores.")
    int eventLoops;

    @Option(names = "--accept-http10", description = "Serve HTTP/1.0 instead of answering 426 (Istio's default).")
    boolean acceptHttp10;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "Address listeners bind when a Gateway server has no bind (default: ${DEFAULT-VALUE}).")
    String bind = "0.0.0.0";

    @Option(names = "--credentials-dir", paramLabel = "DIR",
            description = "Where Gateway tls.credentialName is resolved: DIR/<namespace>/<name>/ holding tls.crt and "
                    + "tls.key (or cert and key), CA in ca.crt or cacert or a <name>-cacert directory, as a mounted "
                    + "Secret. Files are re-read every 2s; changes apply without restart.")
    java.nio.file.Path credentialsDir;

    @Option(names = "--default-sni", paramLabel = "HOST",
            description = "Serve TLS clients that send no SNI, or an SNI no server matches, as if they had sent "
                    + "HOST. Default: refuse them, as Istio does (filter_chain_not_found).")
    String defaultSni;

    @Option(names = "--locality", paramLabel = "REGION/ZONE/SUBZONE",
            description = "This instance's locality, for DestinationRule localityLbSetting (failover to the nearest "
                    + "healthy endpoints when outlierDetection is set, distribute weights). Default: none, no locality "
                    + "awareness.")
    String locality;

    @Option(names = "--dns-server", paramLabel = "HOST:PORT",
            description = "Resolver for the names of ServiceEntry DNS and DNS_ROUND_ROBIN entries (re-resolved every "
                    + "--dns-refresh-rate, last good answer kept) and for the request hosts of DYNAMIC_DNS entries. "
                    + "Default: names are resolved by the system at connect time (DYNAMIC_DNS then needs this flag).")
    String dnsServer;

    @Option(names = "--dns-refresh-rate", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "60s",
            description = "How often ServiceEntry DNS names are resolved again, and how long a DYNAMIC_DNS answer is "
                    + "used before it is refreshed (MeshConfig dnsRefreshRate; default: ${DEFAULT-VALUE}).")
    java.time.Duration dnsRefreshRate = java.time.Duration.ofSeconds(60);

    @Option(names = "--forward-proxy-port", paramLabel = "PORT",
            description = "Start an HTTP forward proxy (CONNECT and absolute-form requests) on PORT that admits only "
                    + "hosts and ports registered by a ServiceEntry; 0 picks a free port. Default: off.")
    Integer forwardProxyPort;

    @Option(names = "--forward-proxy-bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address the forward proxy binds (default: ${DEFAULT-VALUE}).")
    String forwardProxyBind = "127.0.0.1";

    /**
     * The {@code --dns-server} value, checked; null when not given.
     *
     * @throws IllegalArgumentException naming the flag when it is not HOST:PORT with a port in 1..65535
     */
    public String dnsServer() {
        if (dnsServer == null || dnsServer.isBlank()) {
            return null;
        }
        String v = dnsServer.trim();
        int colon = v.lastIndexOf(':');
        String host = colon > 0 ? v.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = colon > 0 ? Integer.parseInt(v.substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("--dns-server: expected HOST:PORT (e.g. 127.0.0.1:53), got \""
                    + dnsServer + "\"");
        }
        return v;
    }

    /**
     * The {@code --locality} value, checked; empty when not given.
     *
     * @throws IllegalArgumentException naming the flag when it is not REGION[/ZONE[/SUBZONE]]
     */
    public String locality() {
        try {
            return GatewayOptions.checkLocality(locality);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--locality: " + e.getMessage(), e);
        }
    }

    /**
     * The {@code --dns-refresh-rate} value, checked.
     *
     * @throws IllegalArgumentException naming the flag when it is not positive
     */
    public java.time.Duration dnsRefreshRate() {
        if (dnsRefreshRate == null || dnsRefreshRate.isZero() || dnsRefreshRate.isNegative()) {
            throw new IllegalArgumentException("--dns-refresh-rate: expected a positive duration such as 30s, got "
                    + dnsRefreshRate);
        }
        return dnsRefreshRate;
    }

    /**
     * The {@code --forward-proxy-port} value, checked; null when the proxy is off.
     *
     * @throws IllegalArgumentException naming the flag when the port is out of 0..65535
     */
    public Integer forwardProxyPort() {
        if (forwardProxyPort != null && (forwardProxyPort < 0 || forwardProxyPort > 65535)) {
            throw new IllegalArgumentException("--forward-proxy-port: expected 0..65535, got " + forwardProxyPort);
        }
        return forwardProxyPort;
    }

    public String forwardProxyBind() {
        return forwardProxyBind;
    }

    /** The TLS edge options. */
    public dev.meshgate.gateway.edge.EdgeOptions toEdgeOptions() {
        return dev.meshgate.gateway.edge.EdgeOptions.defaults().withCredentialsDir(credentialsDir)
                .withDefaultSni(defaultSni);
    }

    /** @throws IllegalArgumentException naming the flag when a value is malformed */
    public GatewayOptions toOptions() {
        try {
            return new GatewayOptions(GatewayOptions.parseLabels(labels), gatewayNamespace,
                    GatewayOptions.parsePortMap(portMap), eventLoops, acceptHttp10, bind)
                    .withLocality(locality());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith("--") ? e.getMessage()
                    : "--labels/--port-map: " + e.getMessage(), e);
        }
    }
}

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

    /** @throws IllegalArgumentException naming the flag when a value is malformed */
    public GatewayOptions toOptions() {
        try {
            return new GatewayOptions(GatewayOptions.parseLabels(labels), gatewayNamespace,
                    GatewayOptions.parsePortMap(portMap), eventLoops, acceptHttp10, bind);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--labels/--port-map: " + e.getMessage(), e);
        }
    }
}

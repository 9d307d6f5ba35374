package dev.meshgate.config.source.kubernetes;

import dev.meshgate.config.model.networking.Protocol;

import java.util.Locale;
import java.util.Map;

/**
 * The protocol of a Kubernetes Service port, as Istio infers it (pkg/config/kube ConvertProtocol):
 * {@code appProtocol} first, then the port name ({@code http}, {@code http-web}, {@code grpc-api}, ...), then UDP
 * from the port's own protocol. Anything else is null: Istio would sniff it, a gateway routes by the route kind.
 */
final class PortProtocols {

    private static final Map<String, Protocol> APP_PROTOCOLS = Map.ofEntries(
            Map.entry("http", Protocol.HTTP),
            Map.entry("http2", Protocol.HTTP2),
            Map.entry("https", Protocol.HTTPS),
            Map.entry("grpc", Protocol.GRPC),
            Map.entry("grpc-web", Protocol.GRPC_WEB),
            Map.entry("tcp", Protocol.TCP),
            Map.entry("tls", Protocol.TLS),
            Map.entry("udp", Protocol.UDP),
            Map.entry("mongo", Protocol.MONGO),
            Map.entry("redis", Protocol.REDIS),
            Map.entry("mysql", Protocol.MYSQL),
            Map.entry("http_proxy", Protocol.HTTP_PROXY),
            // Kubernetes' standard application protocols (KEP-3726)
            Map.entry("kubernetes.io/h2c", Protocol.HTTP2),
            Map.entry("kubernetes.io/ws", Protocol.HTTP),
            Map.entry("kubernetes.io/wss", Protocol.HTTPS));

    private PortProtocols() {
    }

    static Protocol of(String name, String appProtocol, String transport) {
        if ("UDP".equalsIgnoreCase(transport)) {
            return Protocol.UDP;
        }
        if (appProtocol != null && !appProtocol.isBlank()) {
            Protocol p = APP_PROTOCOLS.get(appProtocol.toLowerCase(Locale.ROOT));
            if (p != null) {
                return p;
            }
        }
        if (name == null || name.isEmpty()) {
            return null;
        }
        String n = name.toLowerCase(Locale.ROOT);
        int dash = n.indexOf('-');
        String prefix = dash < 0 ? n : n.substring(0, dash);
        if (prefix.equals("grpc") && n.startsWith("grpc-web")) {
            return Protocol.GRPC_WEB;
        }
        Protocol p = APP_PROTOCOLS.get(prefix);
        return p == Protocol.UDP ? null : p; // a TCP port named udp-x is still TCP
    }
}

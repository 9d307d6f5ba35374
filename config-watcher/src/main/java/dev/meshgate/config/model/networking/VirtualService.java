package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.List;

/**
 * Spec of {@code networking.istio.io} VirtualService.
 *
 * @param gateways empty when absent; Istio then binds the VirtualService to {@code mesh} only (see
 *                 {@link #gatewaysOrDefault()}), never to a gateway
 * @param exportTo empty = exported to all namespaces (MeshConfig {@code defaultVirtualServiceExportTo})
 */
public record VirtualService(
        List<String> hosts,
        List<String> gateways,
        List<HTTPRoute> http,
        List<TLSRoute> tls,
        List<TCPRoute> tcp,
        List<String> exportTo) {

    /** The reserved gateway name meaning "all sidecars in the mesh". */
    public static final String MESH_GATEWAY = "mesh";
    /** virtual_service.proto {@code gateways}: "If omitted, the default gateway (mesh) will be used". */
    public static final List<String> DEFAULT_GATEWAYS = List.of(MESH_GATEWAY);

    public VirtualService {
        hosts = Copies.list(hosts);
        gateways = Copies.list(gateways);
        http = Copies.list(http);
        tls = Copies.list(tls);
        tcp = Copies.list(tcp);
        exportTo = Copies.list(exportTo);
    }

    public List<String> gatewaysOrDefault() {
        return gateways.isEmpty() ? DEFAULT_GATEWAYS : gateways;
    }
}

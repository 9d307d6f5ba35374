package dev.meshgate.gateway.edge;

import dev.meshgate.gateway.route.ListenerKey;
import dev.meshgate.gateway.tls.TlsProtocolVersion;

import java.util.List;

/**
 * A listener of terminating servers. Protocol range and ciphers apply per port (Vert.x sets them per listener):
 * the first server's values are used.
 *
 * @param tcp true for {@code protocol: TLS} servers (terminated, then forwarded at layer 4 by {@code tcp:}
 *            routes); false for HTTPS
 */
public record TlsPortPlan(ListenerKey key, boolean tcp, List<TlsServerPlan> servers,
                          TlsProtocolVersion minProtocolVersion, TlsProtocolVersion maxProtocolVersion,
                          List<String> cipherSuites) {

    public TlsPortPlan {
        servers = List.copyOf(servers);
        cipherSuites = List.copyOf(cipherSuites);
    }
}

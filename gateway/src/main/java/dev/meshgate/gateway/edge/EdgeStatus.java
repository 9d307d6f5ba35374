package dev.meshgate.gateway.edge;

import dev.meshgate.cert.CredentialStatus;
import dev.meshgate.gateway.route.ListenerKey;
import dev.meshgate.gateway.tls.TlsEngineStatus;

import java.time.Instant;
import java.util.List;

/**
 * What the TLS edge is doing, for the admin API and metrics: the TLS engine in use (BoringSSL, or the JDK with the
 * reason), the TLS listeners, the credentials (never their keys) and connection-level counters.
 */
public record EdgeStatus(TlsEngineStatus engine, List<Listener> listeners, List<Credential> credentials,
                         EdgeCounters counters) {

    public EdgeStatus {
        listeners = List.copyOf(listeners);
        credentials = List.copyOf(credentials);
    }

    /**
     * @param kind     {@code terminate}, {@code passthrough} or {@code tcp}
     * @param port     local port, -1 while not bound (e.g. no credential loaded yet)
     * @param servers  {@code hosts mode credential serial} for terminating ports, SNI patterns for passthrough,
     *                 the route for plain TCP
     * @param key      the Gateway's (bind, service port); null when unknown
     * @param protocol the Gateway port protocol: HTTPS, TLS or TCP
     * @param gateways the Gateway servers merged into the port ({@code ns/name spec.servers[i]}), where known
     * @param hosts    the host / SNI patterns the port serves, sorted
     */
    public record Listener(String listener, String kind, int port, List<String> servers, ListenerKey key,
                           String protocol, List<String> gateways, List<String> hosts) {
        public Listener {
            servers = List.copyOf(servers);
            gateways = gateways == null ? List.of() : List.copyOf(gateways);
            hosts = hosts == null ? List.of() : List.copyOf(hosts);
        }

        public Listener(String listener, String kind, int port, List<String> servers) {
            this(listener, kind, port, servers, null, null, List.of(), List.of());
        }
    }

    /** One credential without its private key. */
    public record Credential(String name, String origin, boolean serving, String subject, String issuer,
                             List<String> sans, String serial, Instant notAfter, String lastError,
                             Instant lastErrorAt) {

        static Credential of(CredentialStatus s) {
            return new Credential(s.name(), s.origin(), s.serving(), s.subject(), s.issuer(), s.sans(),
                    s.credential() == null ? null : s.credential().serialHex(), s.notAfter(), s.lastError(),
                    s.lastErrorAt());
        }
    }
}

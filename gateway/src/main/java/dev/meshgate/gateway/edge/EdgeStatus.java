package dev.meshgate.gateway.edge;

import dev.meshgate.cert.CredentialStatus;
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
     * @param kind    {@code terminate} or {@code passthrough}
     * @param port    local port, -1 while not bound (e.g. no credential loaded yet)
     * @param servers {@code hosts mode credential serial} for terminating ports, SNI patterns for passthrough
     */
    public record Listener(String listener, String kind, int port, List<String> servers) {
        public Listener {
            servers = List.copyOf(servers);
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

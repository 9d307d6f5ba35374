package dev.meshgate.gateway.edge;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Options of the TLS edge (HTTPS termination and SNI passthrough).
 *
 * @param credentialsDir     where {@code credentialName} is resolved: {@code <dir>/<namespace>/<name>/} laid out like
 *                           a mounted Secret; null: only file-path credentials (and an injected source) work
 * @param defaultSni         serve handshakes without SNI, or with an SNI no server matches, as if they had sent this
 *                           name; null refuses them as Istio does ({@code filter_chain_not_found})
 * @param clientHelloTimeout how long a passthrough connection may take to send its ClientHello
 * @param credentialPoll     how often credential files are re-read for rotation
 */
public record EdgeOptions(Path credentialsDir, String defaultSni, Duration clientHelloTimeout,
                          Duration credentialPoll) {

    /** Envoy's listener_filters_timeout. */
    public static final Duration DEFAULT_CLIENT_HELLO_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_CREDENTIAL_POLL = Duration.ofSeconds(2);

    public EdgeOptions {
        defaultSni = defaultSni == null || defaultSni.isBlank() ? null : defaultSni.trim();
        clientHelloTimeout = clientHelloTimeout == null ? DEFAULT_CLIENT_HELLO_TIMEOUT : clientHelloTimeout;
        credentialPoll = credentialPoll == null ? DEFAULT_CREDENTIAL_POLL : credentialPoll;
    }

    public static EdgeOptions defaults() {
        return new EdgeOptions(null, null, null, null);
    }

    public EdgeOptions withCredentialsDir(Path dir) {
        return new EdgeOptions(dir, defaultSni, clientHelloTimeout, credentialPoll);
    }

    public EdgeOptions withDefaultSni(String host) {
        return new EdgeOptions(credentialsDir, host, clientHelloTimeout, credentialPoll);
    }

    public EdgeOptions withClientHelloTimeout(Duration d) {
        return new EdgeOptions(credentialsDir, defaultSni, d, credentialPoll);
    }

    public EdgeOptions withCredentialPoll(Duration d) {
        return new EdgeOptions(credentialsDir, defaultSni, clientHelloTimeout, d);
    }
}

package dev.meshgate.gateway.upstream.cluster;

import java.util.List;

/**
 * DestinationRule {@code tls} in SIMPLE or MUTUAL mode: the gateway speaks TLS to the endpoints.
 *
 * @param mutual             MUTUAL: present {@code clientCertificate}/{@code privateKey}
 * @param clientCertificate  PEM file (MUTUAL), from the rule or from {@code credentialName}
 * @param privateKey         PEM file (MUTUAL)
 * @param caCertificates     PEM file; null = the JVM's default trust store (Istio: the OS trust store)
 * @param sni                null = the request's authority without port
 * @param subjectAltNames    empty = verify the certificate against the SNI host name
 * @param insecureSkipVerify no CA and no name verification
 */
public record TlsOrigination(boolean mutual, String clientCertificate, String privateKey, String caCertificates,
                             String sni, List<String> subjectAltNames, boolean insecureSkipVerify) {

    public TlsOrigination {
        subjectAltNames = subjectAltNames == null ? List.of() : List.copyOf(subjectAltNames);
    }

    /** What the upstream HttpClient itself is configured with (the rest is decided per request). */
    public ClientTls clientTls() {
        return new ClientTls(mutual ? clientCertificate : null, mutual ? privateKey : null, caCertificates,
                insecureSkipVerify, !insecureSkipVerify && subjectAltNames.isEmpty());
    }

    /** @param verifyHost check the certificate against the SNI host (no explicit subjectAltNames) */
    public record ClientTls(String clientCertificate, String privateKey, String caCertificates, boolean trustAll,
                            boolean verifyHost) {
    }
}

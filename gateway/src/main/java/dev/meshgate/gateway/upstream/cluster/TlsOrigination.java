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
 * @param credentialRef      {@code namespace/name} of a {@code credentialName} read from a credential source (the
 *                           Kubernetes Secret source with {@code --kubernetes}) instead of files; null otherwise
 */
public record TlsOrigination(boolean mutual, String clientCertificate, String privateKey, String caCertificates,
                             String sni, List<String> subjectAltNames, boolean insecureSkipVerify,
                             String credentialRef) {

    public TlsOrigination {
        subjectAltNames = subjectAltNames == null ? List.of() : List.copyOf(subjectAltNames);
    }

    public TlsOrigination(boolean mutual, String clientCertificate, String privateKey, String caCertificates,
                          String sni, List<String> subjectAltNames, boolean insecureSkipVerify) {
        this(mutual, clientCertificate, privateKey, caCertificates, sni, subjectAltNames, insecureSkipVerify, null);
    }

    /** What the upstream HttpClient itself is configured with (the rest is decided per request). */
    public ClientTls clientTls() {
        return new ClientTls(mutual ? clientCertificate : null, mutual ? privateKey : null, caCertificates,
                insecureSkipVerify, !insecureSkipVerify && subjectAltNames.isEmpty(), credentialRef,
                mutual && credentialRef != null);
    }

    /**
     * @param verifyHost    check the certificate against the SNI host (no explicit subjectAltNames)
     * @param credentialRef  {@code namespace/name} in the credential source (CA from it; key and chain too when
     *                       {@code credentialKeys}), or null
     * @param credentialKeys MUTUAL: present the source credential's certificate
     */
    public record ClientTls(String clientCertificate, String privateKey, String caCertificates, boolean trustAll,
                            boolean verifyHost, String credentialRef, boolean credentialKeys) {

        public ClientTls(String clientCertificate, String privateKey, String caCertificates, boolean trustAll,
                         boolean verifyHost) {
            this(clientCertificate, privateKey, caCertificates, trustAll, verifyHost, null, false);
        }
    }
}

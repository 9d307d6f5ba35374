package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.List;

/**
 * TLS origination to the upstream. {@code mode} is filled with DISABLE (enum zero) when absent; a
 * TrafficPolicy without {@code tls} is different (auto mTLS) and keeps {@code tls} null.
 *
 * @param caCertificates     null = the OS trust store
 * @param subjectAltNames    empty = verify against the downstream Host (SIMPLE/MUTUAL)
 * @param sni                null = the downstream Host (SIMPLE/MUTUAL)
 * @param insecureSkipVerify BoolValue; null = false
 */
public record ClientTLSSettings(
        TLSmode mode,
        String clientCertificate,
        String privateKey,
        String caCertificates,
        String credentialName,
        List<String> subjectAltNames,
        String sni,
        Boolean insecureSkipVerify,
        String caCrl) {

    public ClientTLSSettings {
        mode = mode == null ? TLSmode.DISABLE : mode;
        subjectAltNames = Copies.list(subjectAltNames);
    }

    public boolean insecureSkipVerifyOrDefault() {
        return insecureSkipVerify != null && insecureSkipVerify;
    }

    /** Client-side TLS modes. */
    public enum TLSmode {
        DISABLE,
        SIMPLE,
        MUTUAL,
        ISTIO_MUTUAL
    }
}

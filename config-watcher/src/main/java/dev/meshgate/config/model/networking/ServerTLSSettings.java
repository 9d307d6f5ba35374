package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.List;

/**
 * TLS settings of a Gateway server (or a Sidecar ingress listener).
 *
 * <p>{@code mode} is filled with {@code PASSTHROUGH} when absent (the proto enum zero value), {@code
 * minProtocolVersion} with {@code TLSV1_2} (gateway.proto: "By default, it is TLSV1_2") and {@code
 * maxProtocolVersion} with {@code TLS_AUTO}.
 *
 * @param credentialNames      1 or 2 secrets (RSA + ECDSA) [1.26+]
 * @param caCertCredentialName secret with the CA for MUTUAL [1.28+]
 * @param tlsCertificates      1 or 2 certificate/key file pairs [1.26+]
 * @param insecureSkipVerify   BoolValue [master]; null = absent = false
 */
public record ServerTLSSettings(
        boolean httpsRedirect,
        TLSmode mode,
        String serverCertificate,
        String privateKey,
        String caCertificates,
        String caCrl,
        String credentialName,
        List<String> credentialNames,
        String caCertCredentialName,
        List<TLSCertificate> tlsCertificates,
        List<String> subjectAltNames,
        List<String> verifyCertificateSpki,
        List<String> verifyCertificateHash,
        TLSProtocol minProtocolVersion,
        TLSProtocol maxProtocolVersion,
        List<String> cipherSuites,
        Boolean insecureSkipVerify) {

    /** gateway.proto {@code minProtocolVersion}: "By default, it is TLSV1_2". */
    public static final TLSProtocol DEFAULT_MIN_PROTOCOL_VERSION = TLSProtocol.TLSV1_2;
    /** Envoy's server-side default maximum when {@code TLS_AUTO}. */
    public static final TLSProtocol DEFAULT_MAX_PROTOCOL_VERSION = TLSProtocol.TLSV1_3;

    public ServerTLSSettings {
        mode = mode == null ? TLSmode.PASSTHROUGH : mode;
        credentialNames = Copies.list(credentialNames);
        tlsCertificates = Copies.list(tlsCertificates);
        subjectAltNames = Copies.list(subjectAltNames);
        verifyCertificateSpki = Copies.list(verifyCertificateSpki);
        verifyCertificateHash = Copies.list(verifyCertificateHash);
        minProtocolVersion = minProtocolVersion == null ? DEFAULT_MIN_PROTOCOL_VERSION : minProtocolVersion;
        maxProtocolVersion = maxProtocolVersion == null ? TLSProtocol.TLS_AUTO : maxProtocolVersion;
        cipherSuites = Copies.list(cipherSuites);
    }

    /** The minimum version to configure: an explicit {@code TLS_AUTO} means Envoy's server default, TLS 1.2. */
    public TLSProtocol effectiveMinProtocolVersion() {
        return minProtocolVersion == TLSProtocol.TLS_AUTO ? DEFAULT_MIN_PROTOCOL_VERSION : minProtocolVersion;
    }

    /** The maximum version to configure: {@code TLS_AUTO} means Envoy's server default, TLS 1.3. */
    public TLSProtocol effectiveMaxProtocolVersion() {
        return maxProtocolVersion == TLSProtocol.TLS_AUTO ? DEFAULT_MAX_PROTOCOL_VERSION : maxProtocolVersion;
    }

    public boolean insecureSkipVerifyOrDefault() {
        return insecureSkipVerify != null && insecureSkipVerify;
    }

    /** Server-side TLS modes. {@code PASSTHROUGH} is the enum zero value. */
    public enum TLSmode {
        PASSTHROUGH,
        SIMPLE,
        MUTUAL,
        AUTO_PASSTHROUGH,
        ISTIO_MUTUAL,
        OPTIONAL_MUTUAL
    }

    /** TLS protocol versions, in ascending order (so {@code compareTo} orders them, TLS_AUTO first). */
    public enum TLSProtocol {
        TLS_AUTO,
        TLSV1_0,
        TLSV1_1,
        TLSV1_2,
        TLSV1_3
    }
}

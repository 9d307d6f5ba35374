package dev.meshgate.config.model.networking;

/**
 * One certificate of {@link ServerTLSSettings#tlsCertificates()} (Istio's nested
 * {@code ServerTLSSettings.TLSCertificate}) [1.26+].
 *
 * @param caCertificates hidden in Istio
 */
public record TLSCertificate(String serverCertificate, String privateKey, String caCertificates) {
}

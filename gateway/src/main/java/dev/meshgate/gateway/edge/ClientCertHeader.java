package dev.meshgate.gateway.edge;

import dev.meshgate.cert.SubjectAltNames;

import javax.security.auth.x500.X500Principal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The {@code x-forwarded-client-cert} value an Istio gateway sets (Envoy SANITIZE_SET with subject, cert, URI and
 * DNS details): {@code By=<our URI SAN>;Hash=<sha256 hex>;Cert="<url-encoded PEM>";Subject="<RFC 2253>";URI=<first
 * URI SAN>;DNS=<each DNS SAN>}. {@code By} appears only when our certificate has URI SANs; {@code URI=} appears
 * even when empty, as in Envoy.
 */
final class ClientCertHeader {

    static final String NAME = "x-forwarded-client-cert";

    private ClientCertHeader() {
    }

    /** @return the header value, or null when the client sent no certificate */
    static String of(List<Certificate> peer, X509Certificate local) {
        if (peer == null || peer.isEmpty() || !(peer.get(0) instanceof X509Certificate leaf)) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        if (local != null) {
            for (String uri : SubjectAltNames.of(local).uris()) {
                sb.append("By=").append(uri).append(';');
            }
        }
        byte[] der;
        try {
            der = leaf.getEncoded();
        } catch (CertificateEncodingException e) {
            return null;
        }
        sb.append("Hash=").append(HexFormat.of().formatHex(sha256(der)));
        sb.append(";Cert=\"").append(urlEncodedPem(der)).append('"');
        sb.append(";Subject=\"").append(leaf.getSubjectX500Principal().getName(X500Principal.RFC2253)).append('"');
        SubjectAltNames sans = SubjectAltNames.of(leaf);
        sb.append(";URI=").append(sans.uris().isEmpty() ? "" : sans.uris().get(0));
        for (String dns : sans.dns()) {
            sb.append(";DNS=").append(dns);
        }
        return sb.toString();
    }

    /** Envoy's urlEncodedPemEncodedPeerCertificate: newline, space, '+', '/' and '=' percent-encoded. */
    static String urlEncodedPem(byte[] der) {
        String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        String pem = "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n";
        StringBuilder out = new StringBuilder(pem.length() + 256);
        for (int i = 0; i < pem.length(); i++) {
            char c = pem.charAt(i);
            switch (c) {
                case '\n' -> out.append("%0A");
                case ' ' -> out.append("%20");
                case '+' -> out.append("%2B");
                case '/' -> out.append("%2F");
                case '=' -> out.append("%3D");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

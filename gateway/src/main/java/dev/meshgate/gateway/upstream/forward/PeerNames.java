package dev.meshgate.gateway.upstream.forward;

import io.vertx.core.http.HttpConnection;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

/** DestinationRule tls.subjectAltNames: the upstream's leaf certificate must carry one of them (exact match). */
final class PeerNames {

    private PeerNames() {
    }

    static boolean matches(HttpConnection conn, List<String> expected) {
        try {
            List<Certificate> chain = conn.peerCertificates();
            if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) {
                return false;
            }
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            if (sans == null) {
                return false;
            }
            for (List<?> san : sans) {
                // 1 rfc822, 2 dNSName, 6 URI, 7 iPAddress: all compared as strings
                if (san.size() >= 2 && san.get(1) instanceof String v && expected.contains(v)) {
                    return true;
                }
            }
            return false;
        } catch (javax.net.ssl.SSLPeerUnverifiedException | CertificateParsingException e) {
            return false;
        }
    }
}

package dev.meshgate.cert.kubernetes;

import dev.meshgate.cert.CredentialException;
import dev.meshgate.cert.pem.PemInput;
import dev.meshgate.cert.source.CredentialMaterial;

import java.util.Base64;
import java.util.Map;
import java.util.TreeSet;

/**
 * The Secret key layouts Istio accepts for {@code credentialName} (pilot/pkg/credentials/kube/secrets.go), on the
 * decoded {@code data} of a Secret:
 * <ul>
 *   <li>certificate and key: {@code cert} + {@code key}, else {@code tls.crt} + {@code tls.key};</li>
 *   <li>CA for client validation: the companion Secret {@code <name>-cacert} if it exists, else the Secret itself;
 *       in either, {@code cacert} (CRL in {@code crl}) else {@code ca.crt} (CRL in {@code ca.crl}). A companion
 *       without a CA key is an error, as in Istio.</li>
 * </ul>
 * The same rules as the directory source's, which reads Secrets mounted as files.
 */
final class SecretLayout {

    /** Larger values are refused, as the file sources refuse larger files. */
    static final int MAX_VALUE_BYTES = 4 * 1024 * 1024;

    private SecretLayout() {
    }

    /**
     * @param data      the main Secret's data (base64 values, as the API returns them)
     * @param companion the {@code <name>-cacert} Secret's data, or null when there is none
     */
    static CredentialMaterial material(String credential, String origin, Map<String, String> data,
                                       String companionOrigin, Map<String, String> companion) {
        Map<String, String> d = data == null ? Map.of() : data;
        PemInput cert;
        PemInput key;
        if (hasValue(d, "cert") && hasValue(d, "key")) {
            cert = value(credential, origin, d, "cert");
            key = value(credential, origin, d, "key");
        } else if (hasValue(d, "tls.crt") && hasValue(d, "tls.key")) {
            cert = value(credential, origin, d, "tls.crt");
            key = value(credential, origin, d, "tls.key");
        } else if (d.containsKey("cert") && d.containsKey("key")) {
            throw new CredentialException(credential, "found keys \"cert\" and \"key\" in Secret " + origin
                    + ", but they were empty");
        } else if (d.containsKey("tls.crt") && d.containsKey("tls.key")) {
            throw new CredentialException(credential, "found keys \"tls.crt\" and \"tls.key\" in Secret " + origin
                    + ", but they were empty");
        } else {
            throw new CredentialException(credential, "found Secret " + origin + ", but it does not have the expected"
                    + " keys (cert and key) or (tls.crt and tls.key); found: " + keys(d));
        }
        Map<String, String> caData = companion != null ? companion : d;
        String caOrigin = companion != null ? companionOrigin : origin;
        PemInput ca = null;
        PemInput crl = null;
        if (hasValue(caData, "cacert")) {
            ca = value(credential, caOrigin, caData, "cacert");
            crl = hasValue(caData, "crl") ? value(credential, caOrigin, caData, "crl") : null;
        } else if (hasValue(caData, "ca.crt")) {
            ca = value(credential, caOrigin, caData, "ca.crt");
            crl = hasValue(caData, "ca.crl") ? value(credential, caOrigin, caData, "ca.crl") : null;
        } else if (companion != null) {
            throw new CredentialException(credential, "found Secret " + companionOrigin + ", but it does not have the"
                    + " expected keys cacert or ca.crt; found: " + keys(companion));
        }
        String where = ca == null || companion == null ? "Secret " + origin
                : "Secret " + origin + " (CA from Secret " + companionOrigin + ")";
        return new CredentialMaterial(where, cert, key, ca, crl);
    }

    /** The CA alone ({@code cacert} else {@code ca.crt}) of one Secret's data; an error when it has neither. */
    static PemInput caOnly(String credential, String origin, Map<String, String> data) {
        Map<String, String> d = data == null ? Map.of() : data;
        if (hasValue(d, "cacert")) {
            return value(credential, origin, d, "cacert");
        }
        if (hasValue(d, "ca.crt")) {
            return value(credential, origin, d, "ca.crt");
        }
        throw new CredentialException(credential, "found Secret " + origin + ", but it does not have the expected"
                + " keys cacert or ca.crt; found: " + keys(d));
    }

    private static boolean hasValue(Map<String, String> d, String key) {
        String v = d.get(key);
        return v != null && !v.isEmpty();
    }

    private static PemInput value(String credential, String origin, Map<String, String> d, String key) {
        String b64 = d.get(key);
        if (b64.length() > MAX_VALUE_BYTES / 3 * 4 + 4) {
            throw new CredentialException(credential, "Secret " + origin + " key " + key + " is larger than the "
                    + MAX_VALUE_BYTES + " bytes allowed");
        }
        try {
            return new PemInput("Secret " + origin + " key " + key, Base64.getMimeDecoder().decode(b64));
        } catch (IllegalArgumentException e) {
            throw new CredentialException(credential, "Secret " + origin + " key " + key + " is not valid base64");
        }
    }

    private static String keys(Map<String, String> d) {
        return d.isEmpty() ? "(nothing)" : String.join(", ", new TreeSet<>(d.keySet()));
    }
}

package dev.meshgate.admin.auth;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Maps a verified client certificate to a role: by Subject Alternative Name (DNS, URI such as a SPIFFE id, e-mail)
 * first, then by the subject's CN. A certificate that maps to nothing is refused (401), even though TLS accepted it.
 */
public final class CertRoles {

    private final Map<String, Role> roles;

    /** @param roles SAN value or CN to role, e.g. {@code spiffe://cluster.local/ns/ops/sa/admin -> EDITOR} */
    public CertRoles(Map<String, Role> roles) {
        this.roles = Map.copyOf(roles);
    }

    public boolean isEmpty() {
        return roles.isEmpty();
    }

    /** The principal of the peer's leaf certificate, or null when it maps to no role. */
    public Principal principal(List<Certificate> peerChain) {
        if (peerChain == null || peerChain.isEmpty() || !(peerChain.get(0) instanceof X509Certificate leaf)) {
            return null;
        }
        for (String san : sans(leaf)) {
            Role r = roles.get(san);
            if (r != null) {
                return new Principal("cert:" + san, r);
            }
        }
        String cn = commonName(leaf);
        Role r = cn == null ? null : roles.get(cn);
        return r == null ? null : new Principal("cert:CN=" + cn, r);
    }

    private static List<String> sans(X509Certificate cert) {
        try {
            Collection<List<?>> alt = cert.getSubjectAlternativeNames();
            if (alt == null) {
                return List.of();
            }
            // types 1 (rfc822Name), 2 (dNSName), 6 (URI), 7 (iPAddress) are strings
            return alt.stream().filter(e -> e.size() == 2 && e.get(1) instanceof String)
                    .map(e -> (String) e.get(1)).toList();
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static String commonName(X509Certificate cert) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }
}

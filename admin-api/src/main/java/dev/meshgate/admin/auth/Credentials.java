package dev.meshgate.admin.auth;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;
import java.util.List;

/**
 * Everything the admin server knows about who may call it: bearer tokens and/or client-certificate roles.
 * With neither, the server is anonymous, read-only and loopback-only.
 */
public record Credentials(TokenFile tokens, CertRoles certRoles) {

    public static final Credentials NONE = new Credentials(null, null);

    public boolean configured() {
        return (tokens != null && !tokens.isEmpty()) || (certRoles != null && !certRoles.isEmpty());
    }

    public boolean usesClientCerts() {
        return certRoles != null && !certRoles.isEmpty();
    }

    /**
     * The caller, or null when unauthenticated. A bearer token, when sent, decides alone (an unknown token is
     * refused even if the client certificate would map); otherwise the client certificate.
     */
    public Principal authenticate(String authorizationHeader, PeerCerts peer) {
        if (!configured()) {
            return Principal.ANONYMOUS;
        }
        if (authorizationHeader != null) {
            String h = authorizationHeader.strip();
            if (h.regionMatches(true, 0, "Bearer ", 0, 7) && tokens != null) {
                return tokens.lookup(h.substring(7).strip());
            }
            return null;
        }
        if (usesClientCerts()) {
            try {
                return certRoles.principal(peer.chain());
            } catch (SSLPeerUnverifiedException e) {
                return null;
            }
        }
        return null;
    }

    /** The peer's certificate chain, read lazily (only when no token was sent). */
    @FunctionalInterface
    public interface PeerCerts {
        List<Certificate> chain() throws SSLPeerUnverifiedException;
    }
}

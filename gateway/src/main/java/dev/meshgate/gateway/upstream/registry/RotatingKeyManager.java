package dev.meshgate.gateway.upstream.registry;

import dev.meshgate.cert.TlsCredential;
import dev.meshgate.cert.pem.PemCodec;
import dev.meshgate.cert.pem.PemException;
import dev.meshgate.cert.pem.PemInput;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * A client key manager whose certificate can be replaced: every handshake asks it again, so the next connection
 * presents the newest credential. The alias names the credential's content, and the previous credential stays
 * answerable, so a handshake that chose its alias just before a rotation still gets a matching chain and key.
 */
final class RotatingKeyManager extends X509ExtendedKeyManager {

    private record Keys(String alias, X509Certificate[] chain, PrivateKey key, String serialHex) {
    }

    private volatile Keys current;
    private volatile Keys previous;

    RotatingKeyManager(TlsCredential first) {
        this.current = keys(first);
    }

    /** Nothing to present until the first {@link #update} (a credential source still reading it). */
    RotatingKeyManager() {
        this.current = null;
    }

    /** @return whether the credential differs from the one in force */
    boolean update(TlsCredential credential) {
        Keys next = keys(credential);
        Keys now = current;
        if (now != null && next.alias().equals(now.alias())) {
            return false;
        }
        previous = now;
        current = next;
        return true;
    }

    /**
     * A new object answering like this one: TLS option objects built on it are unequal to earlier ones, so the
     * client builds a fresh TLS context (and session cache) for it.
     */
    X509ExtendedKeyManager view() {
        RotatingKeyManager self = this;
        return new X509ExtendedKeyManager() {
            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return self.chooseClientAlias(keyType, issuers, socket);
            }

            @Override
            public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
                return self.chooseEngineClientAlias(keyType, issuers, engine);
            }

            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return self.getClientAliases(keyType, issuers);
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return self.getCertificateChain(alias);
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return self.getPrivateKey(alias);
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return null;
            }

            @Override
            public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
                return null;
            }
        };
    }

    String serialHex() {
        Keys k = current;
        return k == null ? null : k.serialHex();
    }

    private String alias() {
        Keys k = current;
        return k == null ? null : k.alias();
    }

    private static Keys keys(TlsCredential c) {
        try {
            byte[] pem = c.privateKeyPem().getBytes();
            PrivateKey key = PemCodec.privateKey(new PemInput(c.name() + " (PKCS#8)", pem));
            return new Keys("origination-" + c.contentHash(), c.chain().toArray(new X509Certificate[0]), key,
                    c.serialHex());
        } catch (PemException e) {
            throw new IllegalArgumentException("credential " + c.name() + ": " + e.getMessage(), e);
        }
    }

    private Keys byAlias(String alias) {
        Keys k = current;
        if (k != null && k.alias().equals(alias)) {
            return k;
        }
        Keys p = previous;
        return p != null && p.alias().equals(alias) ? p : null;
    }

    // Envoy presents its configured certificate whatever key types and issuers the server asks for; so do we.
    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return alias();
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return alias();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        String a = alias();
        return a == null ? null : new String[]{a};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Keys k = byAlias(alias);
        return k == null ? null : k.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Keys k = byAlias(alias);
        return k == null ? null : k.key();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}

package dev.meshgate.gateway.upstream.registry;

import dev.meshgate.cert.CaBundle;
import dev.meshgate.cert.TlsCredential;
import dev.meshgate.cert.TrustManagers;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Verifies upstream servers against the CA bundle of the origination credential in force (caCertificates), replaced
 * on rotation. Delegates to the JDK's PKIX trust manager, engine overloads included, so the host name check the
 * client asks for (endpoint identification on the engine) still happens.
 */
final class RotatingTrustManager extends X509ExtendedTrustManager {

    private volatile X509ExtendedTrustManager current;

    RotatingTrustManager(TlsCredential first) {
        this.current = build(cas(first), first.name());
    }

    /** A CA file on its own (SIMPLE origination). */
    RotatingTrustManager(List<X509Certificate> cas, String origin) {
        this.current = build(cas, origin);
    }

    /** Nothing trusted until the first {@link #updateOrDefault} (a credential source still reading it). */
    RotatingTrustManager() {
        this.current = null;
    }

    void update(TlsCredential credential) {
        update(cas(credential), credential.name());
    }

    /**
     * A credential from a credential source: its CA when it has one, else the JVM's default trust store (as a
     * DestinationRule without caCertificates; Istio: the OS trust store).
     */
    void updateOrDefault(TlsCredential credential) {
        X509ExtendedTrustManager next = build(cas(credential), credential.name());
        current = next != null ? next : jdkDefault();
    }

    private static X509ExtendedTrustManager jdkDefault() {
        try {
            return TrustManagers.of(TrustManagerFactory.getDefaultAlgorithm(), null);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot load the JVM's default trust store: " + e.getMessage(), e);
        }
    }

    void update(List<X509Certificate> cas, String origin) {
        X509ExtendedTrustManager next = build(cas, origin);
        if (next != null) {
            current = next;
        }
    }

    private static List<X509Certificate> cas(TlsCredential c) {
        CaBundle ca = c.ca().orElse(null);
        return ca == null ? null : ca.certificates();
    }

    /** Null when there is no CA (the client then is not given this manager). */
    private static X509ExtendedTrustManager build(List<X509Certificate> cas, String origin) {
        if (cas == null || cas.isEmpty()) {
            return null;
        }
        try {
            return TrustManagers.of(TrustManagerFactory.getDefaultAlgorithm(), cas);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException(origin + ": cannot build trust manager: " + e.getMessage(), e);
        }
    }

    /** A new object answering like this one (see {@link RotatingKeyManager#view()}). */
    X509ExtendedTrustManager view() {
        RotatingTrustManager self = this;
        return new X509ExtendedTrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                self.checkServerTrusted(chain, authType, engine);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                self.checkServerTrusted(chain, authType, socket);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                self.checkServerTrusted(chain, authType);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                self.checkClientTrusted(chain, authType, engine);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                self.checkClientTrusted(chain, authType, socket);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                self.checkClientTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return self.getAcceptedIssuers();
            }
        };
    }

    private X509ExtendedTrustManager tm() throws CertificateException {
        X509ExtendedTrustManager t = current;
        if (t == null) {
            throw new CertificateException("no CA certificates to verify the upstream with");
        }
        return t;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        tm().checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        tm().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        tm().checkServerTrusted(chain, authType);
    }

    // an upstream client never verifies clients
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("client certificates are not verified by an upstream client");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("client certificates are not verified by an upstream client");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client certificates are not verified by an upstream client");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        X509ExtendedTrustManager t = current;
        return t == null ? new X509Certificate[0] : t.getAcceptedIssuers();
    }
}

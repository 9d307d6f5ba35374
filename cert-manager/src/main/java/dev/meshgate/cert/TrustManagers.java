package dev.meshgate.cert;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

/** The JDK's X.509 trust managers, built from CA certificates or from the JVM's default trust store. */
public final class TrustManagers {

    private TrustManagers() {
    }

    /**
     * The trust manager of {@code algorithm} (e.g. PKIX) trusting exactly these CAs; null CAs mean the JVM's default
     * trust store. Its engine overloads do the host name check a client asks for.
     */
    public static X509ExtendedTrustManager of(String algorithm, List<X509Certificate> cas)
            throws GeneralSecurityException, IOException {
        KeyStore ks = null;
        if (cas != null) {
            ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (X509Certificate cert : cas) {
                ks.setCertificateEntry("ca-" + i++, cert);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(algorithm);
        tmf.init(ks);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new IllegalStateException("no X509ExtendedTrustManager from " + algorithm);
    }
}

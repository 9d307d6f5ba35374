package dev.meshgate.gateway.tls;

import dev.meshgate.cert.CaBundle;
import dev.meshgate.cert.CrlBundle;
import dev.meshgate.cert.TrustManagers;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/** Trust managers for client certificates: PKIX against the server's CA bundle, plus its CRLs. */
final class ClientCertTrust {

  private ClientCertTrust() {
  }

  static X509ExtendedTrustManager of(CaBundle ca, CrlBundle crl) {
    return of(ca, crl, ClientCertPins.NONE);
  }

  /** PKIX against {@code ca}, then the CRL (if any), then the SAN/SPKI/hash pins (if any). */
  static X509ExtendedTrustManager of(CaBundle ca, CrlBundle crl, ClientCertPins pins) {
    X509ExtendedTrustManager pkix = pkix(ca);
    return crl == null && pins.isEmpty() ? pkix : new Revoking(pkix, crl, pins);
  }

  /**
   * For SIMPLE servers that share a port with MUTUAL ones: the port asks every client for a certificate, and a
   * SIMPLE server must not fail a handshake over it.
   */
  static X509ExtendedTrustManager acceptAny() {
    return new AcceptAny();
  }

  private static X509ExtendedTrustManager pkix(CaBundle ca) {
    try {
      return TrustManagers.of("PKIX", ca.certificates());
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException("CA bundle " + ca.origin() + ": " + e.getMessage(), e);
    }
  }

  private static final class Revoking extends ClientTrustManager {
    private final X509ExtendedTrustManager delegate;
    private final CrlBundle crl;
    private final ClientCertPins pins;

    Revoking(X509ExtendedTrustManager delegate, CrlBundle crl, ClientCertPins pins) {
      this.delegate = delegate;
      this.crl = crl;
      this.pins = pins;
    }

    // called before PKIX: a pin or revocation failure is reported even for an otherwise valid chain
    private void checkRevoked(X509Certificate[] chain) throws CertificateException {
      if (chain != null && chain.length > 0 && !pins.isEmpty()) {
        pins.check(chain[0]);
      }
      if (crl == null) {
        return;
      }
      for (X509Certificate c : chain) {
        if (crl.isRevoked(c)) {
          throw new CertificateException("certificate " + c.getSubjectX500Principal().getName() + " (serial "
              + c.getSerialNumber().toString(16) + ") is revoked by " + crl.origin());
        }
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkRevoked(chain);
      delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkRevoked(chain);
      delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      checkRevoked(chain);
      delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate.getAcceptedIssuers();
    }
  }

  private static final class AcceptAny extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("server-side trust manager used for a server certificate");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("server-side trust manager used for a server certificate");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("server-side trust manager used for a server certificate");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}

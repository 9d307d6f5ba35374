package dev.meshgate.gateway.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/** Client-certificate validation chosen by the handshake's SNI; the counterpart of {@link SniAwareKeyManager}. */
final class SniAwareTrustManager extends ClientTrustManager {

  private final SniMatcher<X509ExtendedTrustManager> bySni;
  private final X509ExtendedTrustManager fallback;
  private final X509Certificate[] acceptedIssuers;

  SniAwareTrustManager(SniMatcher<X509ExtendedTrustManager> bySni, X509ExtendedTrustManager fallback,
                       X509Certificate[] acceptedIssuers) {
    this.bySni = bySni;
    this.fallback = fallback;
    this.acceptedIssuers = acceptedIssuers.clone();
  }

  private X509ExtendedTrustManager select(SSLEngine engine) {
    X509ExtendedTrustManager tm = bySni.lookup(RequestedServerName.of(engine));
    return tm == null ? fallback : tm;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    select(engine).checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    fallback.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    fallback.checkClientTrusted(chain, authType);
  }

  /** Every CA of the servers this context may serve: the issuers list cannot depend on SNI. */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return acceptedIssuers.clone();
  }
}

package dev.meshgate.gateway.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager that only ever judges client certificates (a gateway's listeners): every server-side check is
 * refused, so a misuse on a client connection fails loudly instead of trusting anything.
 */
abstract class ClientTrustManager extends X509ExtendedTrustManager {

  private static final String MISUSE = "server-side trust manager used for a server certificate";

  @Override
  public final void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException(MISUSE);
  }

  @Override
  public final void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException(MISUSE);
  }

  @Override
  public final void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException(MISUSE);
  }
}

package dev.meshgate.gateway.tls;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The SNI host name of the handshake in progress, for key and trust managers (both engines fill it in). */
final class RequestedServerName {

  private RequestedServerName() {
  }

  static String of(SSLEngine engine) {
    if (engine == null) {
      return null;
    }
    SSLSession session = engine.getHandshakeSession();
    if (!(session instanceof ExtendedSSLSession ext)) {
      return null;
    }
    List<SNIServerName> names = ext.getRequestedServerNames();
    if (names == null) {
      return null;
    }
    for (SNIServerName n : names) {
      if (n instanceof SNIHostName h) {
        return h.getAsciiName();
      }
      if (n.getType() == 0) { // host_name, from an implementation that does not build SNIHostName
        return new String(n.getEncoded(), StandardCharsets.US_ASCII);
      }
    }
    return null;
  }
}

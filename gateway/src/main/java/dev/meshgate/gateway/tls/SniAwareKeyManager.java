package dev.meshgate.gateway.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * Picks the certificate by the handshake's SNI inside one SSL context. Used for the names Vert.x must not cache a
 * context for (wildcard matches, case variants, unknown names): Vert.x keeps one context per distinct server name
 * its mapper answers, so answering every name under {@code *.example.com} would let clients grow that cache
 * without bound.
 */
final class SniAwareKeyManager extends X509ExtendedKeyManager {

  private final X509KeyManager keys;
  private final SniMatcher<String> aliasBySni;
  private final String defaultAlias;

  SniAwareKeyManager(X509KeyManager keys, SniMatcher<String> aliasBySni, String defaultAlias) {
    this.keys = keys;
    this.aliasBySni = aliasBySni;
    this.defaultAlias = defaultAlias;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    String alias = aliasBySni.lookup(RequestedServerName.of(engine));
    // defaultAlias is null when unmatched names are refused
    return fits(alias == null ? defaultAlias : alias, keyType);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return fits(defaultAlias, keyType);
  }

  // Engines ask once per acceptable key type ("RSA", "EC", "EC_EC", ...); answer only for the right one.
  private String fits(String alias, String keyType) {
    if (alias == null) {
      return null; // refused SNI: no certificate, the handshake fails
    }
    PrivateKey key = keys.getPrivateKey(alias);
    if (key == null || keyType == null) {
      return null;
    }
    String alg = key.getAlgorithm();
    return keyType.equals(alg) || keyType.startsWith(alg + "_") ? alias : null;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return keys.getServerAliases(keyType, issuers);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return keys.getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return keys.getPrivateKey(alias);
  }
}

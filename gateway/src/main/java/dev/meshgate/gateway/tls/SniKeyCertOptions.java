package dev.meshgate.gateway.tls;

import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;

import javax.net.ssl.KeyManagerFactory;
import java.util.Map;
import java.util.function.Function;

/**
 * Vert.x key material chosen by SNI with Gateway host patterns rather than by the names inside the certificates
 * (what Vert.x' own PEM options would do).
 *
 * <p>Vert.x builds and caches one SSL context per distinct server name its mapper answers. The mapper therefore
 * answers only the configured exact host names, spelled in lower case (a bounded set); every other name
 * (wildcard matches, case variants, unknown names) goes to the default context, whose {@link SniAwareKeyManager}
 * picks the certificate by SNI inside the handshake.
 *
 * <p>Immutable: {@link #copy()} returns this, so identity equality tells one configuration generation from the next.
 */
final class SniKeyCertOptions implements KeyCertOptions {

  private final KeyManagerFactory defaultFactory;
  private final Map<String, KeyManagerFactory> exactHosts;

  SniKeyCertOptions(KeyManagerFactory defaultFactory, Map<String, KeyManagerFactory> exactHosts) {
    this.defaultFactory = defaultFactory;
    this.exactHosts = Map.copyOf(exactHosts);
  }

  @Override
  public KeyCertOptions copy() {
    return this;
  }

  @Override
  public KeyManagerFactory getKeyManagerFactory(Vertx vertx) {
    return defaultFactory;
  }

  @Override
  public Function<String, KeyManagerFactory> keyManagerFactoryMapper(Vertx vertx) {
    return name -> name == null ? null : exactHosts.get(name);
  }
}

package dev.meshgate.gateway.tls;

import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;

import javax.net.ssl.KeyManagerFactory;
import java.util.function.Function;

/**
 * Vert.x key material chosen by SNI with Gateway host patterns (exact, wildcard, {@code *}) rather than by the
 * names inside the certificates, which is what Vert.x' own PEM options would do. Immutable: {@link #copy()} returns
 * this, so identity equality tells one configuration generation from the next.
 */
final class SniKeyCertOptions implements KeyCertOptions {

  private final KeyManagerFactory defaultFactory;
  private final SniMatcher<KeyManagerFactory> bySni;

  SniKeyCertOptions(KeyManagerFactory defaultFactory, SniMatcher<KeyManagerFactory> bySni) {
    this.defaultFactory = defaultFactory;
    this.bySni = bySni;
  }

  @Override
  public KeyCertOptions copy() {
    return this;
  }

  @Override
  public KeyManagerFactory getKeyManagerFactory(Vertx vertx) {
    return defaultFactory;
  }

  /** Null for unknown names: Vert.x then uses the default (first server's) certificate. */
  @Override
  public Function<String, KeyManagerFactory> keyManagerFactoryMapper(Vertx vertx) {
    return bySni::lookup;
  }
}

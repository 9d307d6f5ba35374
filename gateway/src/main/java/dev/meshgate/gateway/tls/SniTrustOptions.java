package dev.meshgate.gateway.tls;

import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.util.function.Function;

/** Client-certificate trust chosen by SNI, like {@link SniKeyCertOptions}. Immutable; copy() returns this. */
final class SniTrustOptions implements TrustOptions {

  private final TrustManager[] defaultManagers;
  private final SniMatcher<TrustManager[]> bySni;

  SniTrustOptions(TrustManager[] defaultManagers, SniMatcher<TrustManager[]> bySni) {
    this.defaultManagers = defaultManagers;
    this.bySni = bySni;
  }

  @Override
  public TrustOptions copy() {
    return this;
  }

  @Override
  public TrustManagerFactory getTrustManagerFactory(Vertx vertx) {
    return new FixedTrustManagerFactory(defaultManagers);
  }

  @Override
  public Function<String, TrustManager[]> trustManagerMapper(Vertx vertx) {
    return bySni::lookup;
  }
}

package dev.meshgate.gateway.tls;

import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.util.Map;
import java.util.function.Function;

/**
 * Client-certificate trust chosen by SNI, split like {@link SniKeyCertOptions}: exact lower-case host names get
 * their own context, everything else the default context's {@link SniAwareTrustManager}. Immutable.
 */
final class SniTrustOptions implements TrustOptions {

  private final TrustManager[] defaultManagers;
  private final Map<String, TrustManager[]> exactHosts;

  SniTrustOptions(TrustManager[] defaultManagers, Map<String, TrustManager[]> exactHosts) {
    this.defaultManagers = defaultManagers.clone();
    this.exactHosts = Map.copyOf(exactHosts);
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
    return name -> {
      TrustManager[] tm = name == null ? null : exactHosts.get(name);
      return tm == null ? null : tm.clone();
    };
  }
}

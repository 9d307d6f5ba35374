package dev.meshgate.gateway.tls;

import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;
import java.security.KeyStore;
import java.security.Provider;

/** A TrustManagerFactory that hands out fixed trust managers (JSSE has no public way to wrap them). */
final class FixedTrustManagerFactory extends TrustManagerFactory {

  private static final Provider PROVIDER = new Provider("meshgate-fixed-trust", "1.0", "fixed trust managers") {
  };

  FixedTrustManagerFactory(TrustManager[] managers) {
    super(new Spi(managers), PROVIDER, "fixed");
  }

  private static final class Spi extends TrustManagerFactorySpi {
    private final TrustManager[] managers;

    Spi(TrustManager[] managers) {
      this.managers = managers.clone();
    }

    @Override
    protected void engineInit(KeyStore ks) {
    }

    @Override
    protected void engineInit(ManagerFactoryParameters spec) {
    }

    @Override
    protected TrustManager[] engineGetTrustManagers() {
      return managers.clone();
    }
  }
}

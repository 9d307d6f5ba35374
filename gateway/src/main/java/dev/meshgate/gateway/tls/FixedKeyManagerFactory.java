package dev.meshgate.gateway.tls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import java.security.KeyStore;
import java.security.Provider;

/** A KeyManagerFactory that hands out one fixed key manager. */
final class FixedKeyManagerFactory extends KeyManagerFactory {

  private static final Provider PROVIDER = new Provider("meshgate-fixed-keys", "1.0", "fixed key managers") {
  };

  FixedKeyManagerFactory(KeyManager manager) {
    super(new Spi(manager), PROVIDER, "fixed");
  }

  private static final class Spi extends KeyManagerFactorySpi {
    private final KeyManager manager;

    Spi(KeyManager manager) {
      this.manager = manager;
    }

    @Override
    protected void engineInit(KeyStore ks, char[] password) {
    }

    @Override
    protected void engineInit(ManagerFactoryParameters spec) {
    }

    @Override
    protected KeyManager[] engineGetKeyManagers() {
      return new KeyManager[] {manager};
    }
  }
}

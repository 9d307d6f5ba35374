package dev.meshgate.cert;

import io.vertx.core.buffer.Buffer;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

/** Certificate revocation lists (Gateway {@code caCrl}, Secret key {@code ca.crl}/{@code crl}). */
public record CrlBundle(List<X509CRL> crls, Buffer pem, String origin) {

  public CrlBundle {
    crls = List.copyOf(crls);
    pem = pem.copy();
  }

  /** True when any of the lists revokes {@code cert} (X509CRL matches issuer and serial). */
  public boolean isRevoked(X509Certificate cert) {
    for (X509CRL crl : crls) {
      if (crl.isRevoked(cert)) {
        return true;
      }
    }
    return false;
  }

  /** A copy: Buffers are mutable and this record is not. */
  @Override
  public Buffer pem() {
    return pem.copy();
  }

  @Override
  public String toString() {
    return "CrlBundle[" + crls.size() + " CRL(s) from " + origin + "]";
  }
}
